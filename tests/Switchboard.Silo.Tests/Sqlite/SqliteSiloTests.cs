using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Storage.PreviousBuild;
using Switchboard.Silo.Storage.Sqlite;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.Sqlite;

/// <summary>The embedded store in a real Orleans silo, with either grain storage behind IPersistentState.</summary>
public sealed class SqliteSiloTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IHost Silo(string state) => TestSilo.Build(silo => silo.AddSwitchboardSqliteStore(o =>
    {
        o.DataDirectory = _folder.Path;
        o.SqliteState = state;
    }));

    [Theory]
    [InlineData(SqliteStateProviders.GroupCommit)]
    [InlineData(SqliteStateProviders.AdoNet)]
    public async Task Grain_state_survives_a_restart_of_the_silo(string state)
    {
        using (var silo = Silo(state))
        {
            await silo.StartAsync();
            var counter = silo.Grains().GetGrain<ICounterGrain>("1001");
            await counter.IncrementAsync();
            Assert.Equal(2, await counter.IncrementAsync("kept"));
            await silo.StopAsync();
        }
        using var restarted = Silo(state);
        await restarted.StartAsync();
        var (count, note, etag, exists) = await restarted.Grains().GetGrain<ICounterGrain>("1001").GetAsync();
        Assert.Equal((2, "kept", true), (count, note, exists));
        Assert.NotNull(etag);
        Assert.Equal(3, await restarted.Grains().GetGrain<ICounterGrain>("1001").IncrementAsync());
        await restarted.StopAsync();
    }

    [Theory]
    [InlineData(SqliteStateProviders.GroupCommit)]
    [InlineData(SqliteStateProviders.AdoNet)]
    public async Task A_write_under_a_stale_etag_is_refused_with_InconsistentStateException(string state)
    {
        using var silo = Silo(state);
        await silo.StartAsync();
        await ETagChecks.StaleWritersAreRefusedAsync(silo.Services.GetRequiredKeyedService<IGrainStorage>("Default"), GrainId.Create("counter", "q1"));
        await silo.StopAsync();
    }

    [Theory]
    [InlineData(SqliteStateProviders.GroupCommit)]
    [InlineData(SqliteStateProviders.AdoNet)]
    public async Task Keys_of_hex_digits_and_grains_of_two_types_with_one_state_name_never_share_a_row(string state)
    {
        using var silo = Silo(state);
        await silo.StartAsync();
        var grains = silo.Grains();
        await grains.GetGrain<ICounterGrain>("1001").IncrementAsync("counter 1001");
        await grains.GetGrain<ICounterGrain>("01001").IncrementAsync("counter 01001");
        await grains.GetGrain<IOtherCounterGrain>("1001").IncrementAsync("other 1001");
        await silo.StopAsync();

        using var restarted = Silo(state);
        await restarted.StartAsync();
        grains = restarted.Grains();
        Assert.Equal("counter 1001", (await grains.GetGrain<ICounterGrain>("1001").GetAsync()).Note);
        Assert.Equal("counter 01001", (await grains.GetGrain<ICounterGrain>("01001").GetAsync()).Note);
        Assert.Equal("other 1001", (await grains.GetGrain<IOtherCounterGrain>("1001").GetAsync()).Note);
        await restarted.StopAsync();
    }

    [Fact]
    public async Task The_journal_is_a_silo_singleton_on_the_same_file_and_shares_the_state_writers_transactions()
    {
        using var silo = Silo(SqliteStateProviders.GroupCommit);
        await silo.StartAsync();
        var journal = silo.Services.GetRequiredService<IEventJournal>();
        var before = journal.Statistics.Writes;
        await journal.AppendAsync(new JournalAppend("call/c1", 1, [JournalSamples.Entry("call.offered")]));
        await silo.Grains().GetGrain<ICounterGrain>("c1").IncrementAsync();
        Assert.Equal(before + 2, journal.Statistics.Writes);
        Assert.NotNull(journal.Feed);
        await silo.StopAsync();
        Assert.True(File.Exists(Path.Combine(_folder.Path, SqliteStoreOptions.FileName)));
    }

    [Fact]
    public async Task A_silo_refuses_to_start_on_a_data_folder_of_the_previous_build_and_leaves_it_as_it_was()
    {
        var file = PreviousBuildFolder.Create(_folder.Path);
        var before = await File.ReadAllBytesAsync(file);
        using var silo = Silo(SqliteStateProviders.GroupCommit);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => silo.StartAsync());
        var failure = Assert.IsType<PreviousBuildDataException>(StoreStartupFailure.Find(error));
        Assert.Contains(Path.GetFullPath(_folder.Path), failure.Message);
        Assert.Contains("export-center", failure.Message);
        Assert.Contains("--center-file", failure.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_fails_start_up_naming_the_store_and_the_file()
    {
        var blocked = _folder.File("not-a-folder");
        await File.WriteAllTextAsync(blocked, "a file where the data folder should be");
        using var silo = TestSilo.Build(s => s.AddSwitchboardSqliteStore(o => o.DataDirectory = Path.Combine(blocked, "data")));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => silo.StartAsync());
        var failure = Assert.IsType<StoreUnavailableException>(StoreStartupFailure.Find(error));
        Assert.StartsWith($"Store 'sqlite' at {Path.Combine(blocked, "data", "switchboard.db")}", failure.Message);
    }

    [Fact]
    public void An_unknown_state_provider_is_refused_with_the_key_and_the_choices()
    {
        var error = Assert.ThrowsAny<Exception>(() => Silo("memory"));
        Assert.Contains("Switchboard:Store:SqliteState is 'memory'", error.Message);
        Assert.Contains("group-commit", error.Message);
    }
}
