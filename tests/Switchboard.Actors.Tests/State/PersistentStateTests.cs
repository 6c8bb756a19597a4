using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Tests.Storage;

namespace Switchboard.Actors.Tests.State;

/// <summary>Persistent state and journal through grains, on each store a silo can run on.</summary>
public abstract class PersistentStateTests
{
    /// <summary>Adds the store under test to a silo; called once per silo start, so a "restart" reopens the same data.</summary>
    protected abstract void UseStore(ISiloBuilder silo);

    private protected Task<TestSilo> StartAsync() => TestSilo.StartAsync(UseStore);

    [Fact]
    public async Task State_survives_deactivation_and_reactivation()
    {
        var key = Guid.NewGuid().ToString("N");
        await using (var silo = await StartAsync())
        {
            var grain = silo.Grains.GetGrain<IProfileGrain>(key);
            await grain.Set("Ada", ["billing", "fr"]);
            await grain.Deactivate();
            var again = await grain.Get();
            Assert.Equal(2, ProfileGrain.Activations[key]);
            Assert.Equal("Ada", again.Name);
            Assert.Equal(["billing", "fr"], again.Skills);
        }
    }

    [Fact]
    public async Task A_new_grain_has_no_record_and_a_write_creates_one_with_an_etag()
    {
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IProfileGrain>(Guid.NewGuid().ToString("N"));

        Assert.Equal((false, null), await grain.Record());
        await grain.Set("Linus", []);
        var (exists, etag) = await grain.Record();
        Assert.True(exists);
        Assert.False(string.IsNullOrEmpty(etag));
        await grain.Clear();
        Assert.Equal((false, null), await grain.Record());
    }

    [Fact]
    public async Task A_write_from_an_activation_holding_a_stale_etag_is_refused()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IProfileGrain>(key);
        await grain.Set("first", []);

        // Another writer (say a silo that lost its lease) changes the row behind the activation's back.
        var store = silo.Services.GetRequiredService<IGrainStoreRegistry>().Get("Default");
        var stateKey = new StateKey("profile", grain.GetGrainId());
        var stored = await store.ReadStateAsync(stateKey, CancellationToken.None);
        await store.WriteStateAsync(new StateWrite(stateKey, stored!.Data, stored.ETag, 0, 1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Set("second", []));
        Assert.Contains("profile", error.Message);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task Journal_records_follow_each_other_and_numbering_resumes_after_reactivation()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IProfileGrain>(key);
        await grain.Append("call.queued", 1);
        await grain.Append("call.answered", 2);
        await grain.Deactivate();
        await grain.Append("call.completed", 3);

        var sequences = await grain.JournalSequences();
        Assert.Equal(new long[] { 1, 2, 3 }, sequences);
    }

    [Fact]
    public async Task Appends_queued_before_the_previous_is_durable_are_numbered_in_order_and_all_commit()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IProfileGrain>(key);
        await grain.Append("first", 0);
        await grain.AppendWithoutWaiting(50);
        await grain.Deactivate();
        await grain.AppendWithoutWaiting(3);

        Assert.Equal(Enumerable.Range(1, 54).Select(i => (long)i), await grain.JournalSequences());
        int[] expected = [0, .. Enumerable.Range(1, 50), 1, 2, 3];
        Assert.Equal(expected, await grain.JournalValues());
    }

    [Fact]
    public async Task A_journal_empty_at_activation_reads_nothing_then_reads_what_the_activation_appended()
    {
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<IProfileGrain>(Guid.NewGuid().ToString("N"));
        Assert.Empty(await grain.JournalSequences());

        await grain.Append("call.queued", 1);
        await grain.Append("call.answered", 2);

        Assert.Equal(new long[] { 1, 2 }, await grain.JournalSequences());
    }

    [Fact]
    public async Task A_state_type_that_cannot_be_serialized_stops_the_silo_at_start_up_naming_grain_state_and_type()
    {
        var error = await Assert.ThrowsAsync<StateSerializationException>(() => TestSilo.StartAsync(silo =>
        {
            UseStore(silo);
            silo.AddGrain<UnserializableGrain<int>>();
        }));

        Assert.Contains("UnserializableGrain", error.Message);
        Assert.Contains("System.Type", error.Message);
        Assert.Contains("'bad'", error.Message);
        Assert.Contains(nameof(UnserializableState), error.Message);
    }
}

/// <summary>The same, plus what only a durable store can show: data outliving the silo.</summary>
public abstract class DurablePersistentStateTests : PersistentStateTests
{
    [Fact]
    public async Task State_survives_a_silo_restart_and_changes_left_unwritten_are_persisted_on_shutdown()
    {
        var key = Guid.NewGuid().ToString("N");
        await using (var silo = await StartAsync())
        {
            var grain = silo.Grains.GetGrain<IProfileGrain>(key);
            await grain.Set("Grace", ["technical"]);
            await grain.CountCallWithoutWriting();
            await grain.CountCallWithoutWriting();
        }
        await using (var silo = await StartAsync())
        {
            var state = await silo.Grains.GetGrain<IProfileGrain>(key).Get();
            Assert.Equal("Grace", state.Name);
            Assert.Equal(2, state.Calls);
        }
    }

    [Fact]
    public async Task Many_grains_writing_at_once_are_group_committed_and_every_write_is_there_after_it_returns()
    {
        var keys = Enumerable.Range(0, 400).Select(i => $"{Guid.NewGuid():N}").ToArray();
        await using var silo = await StartAsync();
        var store = silo.Services.GetRequiredService<IGrainStoreRegistry>().Get("Default");
        var before = (store.Statistics.Transactions, store.Statistics.Writes);

        await Task.WhenAll(keys.Select(k => Task.Run(() => silo.Grains.GetGrain<IProfileGrain>(k).Set(k, ["x"]))));

        var transactions = store.Statistics.Transactions - before.Transactions;
        var writes = store.Statistics.Writes - before.Writes;
        Assert.Equal(keys.Length, writes);
        Assert.True(transactions < writes / 4, $"{writes} writes took {transactions} transactions");
        foreach (var key in keys)
        {
            Assert.NotNull(await store.ReadStateAsync(new StateKey("profile", new GrainId("profile", key)), CancellationToken.None));
        }
    }
}

public sealed class InMemoryPersistentStateTests : PersistentStateTests
{
    private readonly string _name = "Default";

    protected override void UseStore(ISiloBuilder silo) => silo.UseInMemoryStore(_name);
}

public sealed class SqlitePersistentStateTests : DurablePersistentStateTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-state-").FullName;

    protected override void UseStore(ISiloBuilder silo) => silo.UseSqliteStore(Path.Combine(_folder, "silo.db"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistentStateTests(PostgresFixture postgres) : DurablePersistentStateTests
{
    private readonly string _connectionString = postgres.Server.ConnectionString(postgres.Server.CreateDatabaseAsync().GetAwaiter().GetResult());

    protected override void UseStore(ISiloBuilder silo) => silo.UsePostgresStore(_connectionString);
}
