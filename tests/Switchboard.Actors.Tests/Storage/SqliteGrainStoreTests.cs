using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>The store contract on <see cref="SqliteGrainStore"/>, each test with a database file of its own.</summary>
public sealed class SqliteGrainStoreTests : DurableGrainStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"switchboard-sqlite-{Guid.NewGuid():N}");

    private string DatabaseFile => Path.Combine(_folder, "grains.db");

    protected override Task PrepareAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    protected override IGrainStore CreateStore() => new SqliteGrainStore("sqlite", new SqliteStoreOptions { DataSource = DatabaseFile });

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_wal_starts_over_after_a_checkpoint_even_when_writes_were_committed_while_it_ran()
    {
        // The interval is long so that the test runs each round of the checkpoint loop itself.
        var file = Path.Combine(_folder, "wal.db");
        await using var store = new SqliteGrainStore("wal", new SqliteStoreOptions { DataSource = file, CheckpointInterval = TimeSpan.FromHours(1) });
        await store.InitializeAsync(CancellationToken.None);
        var payload = new string('x', 20_000);

        await store.WriteStateAsync(Write(Key("a"), $"\"{payload}\"", null), CancellationToken.None);
        // A round can be missed (a reader holding a snapshot, a checkpoint already running: the loop asks again, as
        // the store documents); the WAL must start over within a few. SQLite gives a WAL that starts over new salts
        // in its header. Without the writer's finish the WAL does not start over at the write after "b": the
        // background copy left b's frames over, so that write is appended after them.
        var rounds = new List<string>();
        for (var round = 0; round < 3 && !(rounds.Count > 0 && rounds[^1].EndsWith("started over", StringComparison.Ordinal)); round++)
        {
            await store.CheckpointAsync(CancellationToken.None);
            // Committed after the background copy: left over by it, as under steady load, where some write always is.
            await store.WriteStateAsync(Write(Key($"b{round}"), $"\"{payload}\"", null), CancellationToken.None);
            var before = WalSalts(file);
            // The writer finished the copy after that batch, so this commit writes the WAL from its beginning again
            // instead of appending to it.
            await store.WriteStateAsync(Write(Key($"c{round}"), $"\"{payload}\"", null), CancellationToken.None);
            rounds.Add(WalSalts(file) == before ? "appended" : "started over");
        }

        Assert.True(rounds[^1] == "started over", $"the WAL never started over: {string.Join(", ", rounds)}");
        Assert.Equal(payload.Length + 2, (await store.ReadStateAsync(Key("b0"), CancellationToken.None))!.Data.Length);
    }

    /// <summary>The two salts of a WAL file's header: SQLite changes them whenever it writes the WAL from its start again.</summary>
    private static ulong WalSalts(string databaseFile)
    {
        using var wal = new FileStream(databaseFile + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[24];
        wal.ReadExactly(header);
        return BitConverter.ToUInt64(header[16..24]);
    }

    [Fact]
    public async Task A_file_whose_state_table_has_no_rowid_is_migrated_at_start_up_keeping_every_row_and_its_etag()
    {
        // The state table as files written before the migration have it: WITHOUT ROWID, where every key search
        // compared whole rows and so read a large state's overflow pages whenever it passed that row.
        var oldFile = Path.Combine(_folder, "old.db");
        await using (var connection = new SqliteConnection($"Data Source={oldFile}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE grain_state (
                    state_name TEXT NOT NULL, grain_type TEXT NOT NULL, grain_key TEXT NOT NULL, data BLOB NULL,
                    version INTEGER NOT NULL, partition INTEGER NOT NULL, epoch INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (state_name, grain_type, grain_key)) WITHOUT ROWID;
                INSERT INTO grain_state VALUES ('profile', 'agent', 'a1', CAST('{"n":1}' AS BLOB), 7, 3, 1, 0);
                INSERT INTO grain_state VALUES ('profile', 'agent', 'a2', NULL, 4, 5, 1, 0);
                INSERT INTO grain_state VALUES ('center', 'center', 'c', randomblob(300000), 2, 1, 1, 0);
                """;
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        await using var store = new SqliteGrainStore("old", new SqliteStoreOptions { DataSource = oldFile });
        await store.InitializeAsync(CancellationToken.None);

        var kept = await store.ReadStateAsync(Key("a1"), CancellationToken.None);
        Assert.Equal("{\"n\":1}", Text(kept!.Data));
        Assert.Equal("7", kept.ETag);
        Assert.Null(await store.ReadStateAsync(Key("a2"), CancellationToken.None));
        Assert.Equal(300000, (await store.ReadStateAsync(Key("c", "center", "center"), CancellationToken.None))!.Data.Length);
        // The tombstone kept its version: only a writer that expects no state may write, and it gets version 5.
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync(Write(Key("a2"), "{}", "4"), CancellationToken.None));
        Assert.Equal("5", await store.WriteStateAsync(Write(Key("a2"), "{}", null), CancellationToken.None));
        Assert.Equal("8", await store.WriteStateAsync(Write(Key("a1"), "{\"n\":2}", "7"), CancellationToken.None));

        await using (var connection = new SqliteConnection($"Data Source={oldFile};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name LIKE 'grain_state%'";
            Assert.Equal("grain_state", await command.ExecuteScalarAsync());
            command.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'grain_state'";
            Assert.DoesNotContain("WITHOUT ROWID", (string)(await command.ExecuteScalarAsync())!, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_append_by_another_writer_on_the_file_interrupts_the_feed_so_its_followers_read_the_store()
    {
        var other = await OpenStoreAsync();
        using var follower = Store.Feed!.Follow(["e"]);
        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        await Store.AppendJournalAsync(Append("s/1", 1, Entry("e", t)), CancellationToken.None);
        var before = follower.Overflowed;
        await other.AppendJournalAsync(Append("s/2", 1, Entry("e", t)), CancellationToken.None);
        await Store.AppendJournalAsync(Append("s/1", 2, Entry("e", t)), CancellationToken.None);

        Assert.False(before);
        Assert.True(follower.Overflowed);
    }

    [Fact]
    public async Task Epochs_raised_in_the_same_batch_as_journal_appends_do_not_look_like_another_writer_to_the_feed()
    {
        using var follower = Store.Feed!.Follow(["e"]);
        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        // Queued together, an append and then a write raising a new partition's epoch commit in one batch: the epoch
        // row is inserted after the journal row.
        for (var round = 1; round <= 20; round++)
        {
            var key = Key($"g{round}");
            await Task.WhenAll(
                Store.AppendJournalAsync(Append("s/1", round, Entry("e", t)), CancellationToken.None),
                Store.WriteStateAsync(new StateWrite(key, Json("{}"), null, 1000 + round, 3), CancellationToken.None));
        }

        Assert.False(follower.Overflowed);
        var taken = 0;
        while (follower.TryTake(out _))
        {
            taken++;
        }
        Assert.Equal(20, taken);
    }

    [Fact]
    public async Task Committed_writes_reach_the_database_file_through_background_checkpoints()
    {
        var file = Path.Combine(_folder, "checkpointed.db");
        await using var store = new SqliteGrainStore("checkpointed", new SqliteStoreOptions { DataSource = file, CheckpointInterval = TimeSpan.FromMilliseconds(50) });
        await store.InitializeAsync(CancellationToken.None);
        var before = new FileInfo(file).Length;

        // The writer never checkpoints inline (wal_autocheckpoint = 0): only the background checkpoint moves pages
        // from the WAL into the database file.
        var payload = System.Text.Encoding.UTF8.GetBytes("{\"p\":\"" + new string('x', 1000) + "\"}");
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => store.WriteStateAsync(
            new StateWrite(new StateKey("agent", new GrainId("agent", $"a{i}")), payload, null, 0, 1),
            CancellationToken.None)));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (new FileInfo(file).Length < before + 1_000_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(new FileInfo(file).Length >= before + 1_000_000, $"the database file stayed at {new FileInfo(file).Length} bytes");
    }

    [Fact]
    public async Task The_database_file_is_in_WAL_mode_so_readers_run_beside_the_writer()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_in_a_missing_folder_is_unavailable_at_start_up_and_the_error_names_the_file()
    {
        var missing = Path.Combine(_folder, "no-such-folder", "grains.db");
        await using var store = new SqliteGrainStore("embedded", new SqliteStoreOptions { DataSource = missing });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Equal("embedded", error.StoreName);
        Assert.Equal(missing, error.Connection);
        Assert.Contains(missing, error.Message);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task Writing_to_a_store_that_was_not_initialized_says_so()
    {
        await using var store = new SqliteGrainStore("embedded", new SqliteStoreOptions { DataSource = Path.Combine(_folder, "other.db") });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteStateAsync(Write(Key("x"), "{}", null), CancellationToken.None));

        Assert.Contains("'embedded' is not initialized", error.Message);
    }

    [Fact]
    public void Options_without_a_file_or_with_a_batch_size_below_one_are_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new SqliteGrainStore("s", new SqliteStoreOptions { DataSource = "" }));
        Assert.ThrowsAny<ArgumentException>(() => new SqliteGrainStore("s", new SqliteStoreOptions { MaxBatchSize = 0 }));
        Assert.ThrowsAny<ArgumentException>(() => new SqliteGrainStore("", new SqliteStoreOptions()));
    }

    [Fact]
    public async Task A_batch_that_fails_inside_SQLite_fails_all_its_writes_and_leaves_none_of_them_written()
    {
        // Cap the database just above its current size: small writes fit, large ones fail with
        // SQLITE_FULL in the middle of their batch, a real storage failure.
        var store = (SqliteGrainStore)Store;
        var etags = new string[40];
        for (var i = 0; i < etags.Length; i++)
        {
            etags[i] = await store.WriteStateAsync(Write(Key($"full{i}"), """{"v":0}""", null), CancellationToken.None);
        }
        await store.LimitDatabaseGrowthForTestsAsync(extraPages: 8);
        var large = $$"""{"v":1,"pad":"{{new string('x', 256 * 1024)}}"}""";

        var attempts = Enumerable.Range(0, etags.Length)
            .Select(i => (Index: i, Task: store.WriteStateAsync(Write(Key($"full{i}"), i % 2 == 0 ? """{"v":1}""" : large, etags[i]), CancellationToken.None)))
            .ToList();
        await Task.WhenAll(attempts.Select(a => a.Task).ToArray()).ContinueWith(_ => { }, TaskScheduler.Default);

        var failed = 0;
        foreach (var (index, task) in attempts)
        {
            var stored = await store.ReadStateAsync(Key($"full{index}"), CancellationToken.None);
            if (task.IsCompletedSuccessfully)
            {
                Assert.Equal((await task, """{"v":1}"""), (stored!.ETag, Text(stored.Data)));
            }
            else
            {
                failed++;
                Assert.IsType<SqliteException>(task.Exception!.InnerException);
                Assert.Equal((etags[index], """{"v":0}"""), (stored!.ETag, Text(stored.Data)));
            }
        }
        Assert.True(failed >= etags.Length / 2, $"only {failed} writes failed; every large one should have");

        // The failure was the batch's, not the store's: once there is room again, writes go through.
        await store.LimitDatabaseGrowthForTestsAsync(extraPages: 1_000_000);
        var retried = await store.WriteStateAsync(Write(Key("full1"), large, etags[1]), CancellationToken.None);
        Assert.Equal(retried, (await store.ReadStateAsync(Key("full1"), CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task A_writer_process_killed_mid_load_leaves_every_acknowledged_write_no_half_written_one_and_none_without_the_writes_queued_before_it()
    {
        // A real crash: a child process writes through the store and prints each acknowledgement; it is
        // killed (SIGKILL) mid-load, then the file is opened again.
        var database = Path.Combine(_folder, "crash.db");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(SqliteCrashWriter).Assembly.Location);
        start.Environment[SqliteCrashWriter.DatabaseVariable] = database;
        var acknowledged = new int[SqliteCrashWriter.Grains];
        var acknowledgements = 0;
        using (var child = Process.Start(start)!)
        {
            var errors = child.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (acknowledgements < 2_000)
            {
                var line = await child.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"The writer process ended early: {await errors}");
                acknowledgements += Record(line, acknowledged);
            }
            child.Kill();
            await child.WaitForExitAsync(deadline.Token);
            // Acknowledgements printed before the kill but not yet read still count.
            while (await child.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                acknowledgements += Record(line, acknowledged);
            }
        }

        static int Record(string line, int[] acknowledged)
        {
            // The kill may cut the last line short; a cut line only ever understates.
            var parts = line.Split(' ');
            if (parts is not ["ack", var grain, var version] || !int.TryParse(grain, out var g) || !int.TryParse(version, out var v))
            {
                return 0;
            }
            acknowledged[g] = Math.Max(acknowledged[g], v);
            return 1;
        }

        await using var store = new SqliteGrainStore("check", new SqliteStoreOptions { DataSource = database });
        await store.InitializeAsync(CancellationToken.None);
        for (var grain = 0; grain < SqliteCrashWriter.Grains; grain++)
        {
            var stored = await store.ReadStateAsync(SqliteCrashWriter.KeyOf(grain), CancellationToken.None);
            var version = stored is null ? 0 : System.Text.Json.JsonDocument.Parse(stored.Data).RootElement.GetProperty("version").GetInt32();
            Assert.True(version >= acknowledged[grain], $"grain {grain} acknowledged version {acknowledged[grain]} but holds {version}");
            Assert.True(version <= acknowledged[grain] + 1, $"grain {grain} holds version {version}, more than one past its acknowledged {acknowledged[grain]}");
            if (stored is not null)
            {
                Assert.Equal(SqliteCrashWriter.StateOf(grain, version), Text(stored.Data));
            }
            var records = await ReadAsync(new JournalQuery { Stream = SqliteCrashWriter.StreamOf(grain) }, store);
            Assert.True(records.Count % 3 == 0, $"stream {SqliteCrashWriter.StreamOf(grain)} holds {records.Count} entries: an append was cut");
            Assert.InRange(records.Count / 3, version, version + 1);
        }
        Assert.True(acknowledgements >= 2_000);
        var firsts = await ReadAsync(new JournalQuery { Stream = SqliteCrashWriter.FirstOfPairs }, store);
        var seconds = await ReadAsync(new JournalQuery { Stream = SqliteCrashWriter.SecondOfPairs }, store);
        Assert.NotEmpty(seconds);
        Assert.True(seconds.Count <= firsts.Count, $"{seconds.Count} second writes of pairs survived the kill but only {firsts.Count} first ones");
    }
}
