using Npgsql;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.Postgres;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>The store contract on <see cref="PostgresGrainStore"/>, each test with a database of its own on the private server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStoreTests : DurableGrainStoreContract
{
    // Several silos append to the same database: none sees every commit, so there is no feed.
    protected override bool HasFeed => false;

    private readonly PostgresFixture _postgres;
    private string _database = "";

    public PostgresGrainStoreTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    private string ConnectionString => _postgres.Server.ConnectionString(_database);

    protected override async Task PrepareAsync() => _database = await _postgres.Server.CreateDatabaseAsync();

    protected override IGrainStore CreateStore() =>
        new PostgresGrainStore("cluster", new PostgresStoreOptions { ConnectionString = ConnectionString });

    [Fact]
    public async Task Applying_the_schema_again_on_a_second_start_up_is_harmless()
    {
        var key = Key("s1");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);

        var second = await OpenStoreAsync();

        Assert.Equal(etag, (await second.ReadStateAsync(key, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task A_server_on_a_closed_port_is_unavailable_at_start_up_and_the_error_names_it_without_the_password()
    {
        var closedPort = ClosedPort();
        await using var store = new PostgresGrainStore("cluster", new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={closedPort};Database=switchboard;Username=silo;Password=s3cret-pw",
        });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Equal("cluster", error.StoreName);
        Assert.Equal($"127.0.0.1:{closedPort}/switchboard", error.Connection);
        Assert.Contains($"127.0.0.1:{closedPort}/switchboard", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.ToString());
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_fails_start_up_at_the_connect_timeout_instead_of_hanging()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var store = new PostgresGrainStore("cluster", new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Database=switchboard;Username=silo;Command Timeout=30",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Equal($"127.0.0.1:{port}/switchboard", error.Connection);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_unavailable_at_start_up()
    {
        await using var store = new PostgresGrainStore("cluster", new PostgresStoreOptions
        {
            ConnectionString = _postgres.Server.ConnectionString("no_such_database"),
        });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("/no_such_database", error.Connection);
    }

    [Fact]
    public async Task A_connection_killed_mid_load_leaves_only_whole_writes_and_every_acknowledged_one()
    {
        // Each grain writes versions 1, 2, 3... of its state and appends a three-entry record per
        // version, while the store's connection is terminated server-side several times. Afterwards,
        // through a fresh store: each grain holds a whole version no older than its last acknowledged
        // one, and each stream holds whole appends covering every acknowledged one.
        const int grains = 60;
        const int versions = 30;
        var acknowledged = new int[grains];
        var acknowledgedAppends = new int[grains];
        var failures = 0;

        async Task WriterAsync(int grain)
        {
            var key = Key($"crash{grain}");
            string? etag = null;
            long sequence = 1;
            for (var version = 1; version <= versions; version++)
            {
                try
                {
                    var stored = await Store.ReadStateAsync(key, CancellationToken.None);
                    etag = stored?.ETag;
                    var appended = (await ReadAsync(new JournalQuery { Stream = $"crash/{grain}" })).Count;
                    sequence = appended + 1;
                    await Store.AppendJournalAsync(Append($"crash/{grain}", sequence,
                        Entry("v", DateTimeOffset.UtcNow, $$"""{"version":{{version}},"part":1}"""),
                        Entry("v", DateTimeOffset.UtcNow, $$"""{"version":{{version}},"part":2}"""),
                        Entry("v", DateTimeOffset.UtcNow, $$"""{"version":{{version}},"part":3}""")), CancellationToken.None);
                    acknowledgedAppends[grain]++;
                    etag = await Store.WriteStateAsync(Write(key, $$"""{"version":{{version}},"check":"{{new string((char)('a' + (version % 26)), 200)}}"}""", etag), CancellationToken.None);
                    Volatile.Write(ref acknowledged[grain], version);
                }
                catch (Exception error) when (error is NpgsqlException or InconsistentStateException or JournalConflictException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, grains).Select(grain => Task.Run(() => WriterAsync(grain))));
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            var kills = 0;
            while (!load.IsCompleted && kills < 5)
            {
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'switchboard-store-cluster' AND state <> 'idle'", admin);
                kills += Convert.ToInt32(await kill.ExecuteScalarAsync());
                await Task.Yield();
            }
        }
        await load;

        await using var fresh = new PostgresGrainStore("check", new PostgresStoreOptions { ConnectionString = ConnectionString });
        await fresh.InitializeAsync(CancellationToken.None);
        for (var grain = 0; grain < grains; grain++)
        {
            var stored = await fresh.ReadStateAsync(Key($"crash{grain}"), CancellationToken.None);
            var text = stored is null ? null : Text(stored.Data);
            var version = text is null ? 0 : System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32();
            Assert.True(version >= acknowledged[grain], $"grain {grain} acknowledged version {acknowledged[grain]} but holds {version}");
            if (text is not null)
            {
                Assert.Equal($$"""{"version":{{version}},"check":"{{new string((char)('a' + (version % 26)), 200)}}"}""", text);
            }
            var records = await ReadAsync(new JournalQuery { Stream = $"crash/{grain}" }, fresh);
            Assert.True(records.Count % 3 == 0, $"stream crash/{grain} holds {records.Count} entries: an append was cut");
            Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence));
            Assert.True(records.Count / 3 >= acknowledgedAppends[grain], $"stream crash/{grain} lost acknowledged appends");
        }
        Assert.True(failures > 0, "no write failed: the connection was never killed mid-batch");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
