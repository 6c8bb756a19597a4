using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Tests.Infrastructure;
using static Switchboard.Silo.Tests.Infrastructure.JournalSamples;

namespace Switchboard.Silo.Tests.Postgres;

/// <summary>Grain state on Orleans' AdoNet provider while the database is away, in the same outage collection.</summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class PostgresStateOutageTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task A_state_write_while_the_database_is_down_is_refused_and_the_grain_writes_again_once_it_is_back()
    {
        var database = await _postgres.NewDatabaseAsync();
        using var silo = TestSilo.Build(s => s.AddSwitchboardPostgresStore(o =>
        {
            o.ConnectionString = database;
            o.ConnectTimeout = TimeSpan.FromSeconds(1);
            o.CommandTimeout = TimeSpan.FromSeconds(2);
            o.UseClustering = false;
            o.UseReminders = false;
        }));
        await silo.StartAsync();
        var counter = silo.Grains().GetGrain<ICounterGrain>("a7");
        Assert.Equal(1, await counter.IncrementAsync("before"));

        await _postgres.Server.StopAsync();
        await Assert.ThrowsAnyAsync<OrleansException>(() => counter.IncrementAsync("while down"));

        await _postgres.Server.RestartAsync();
        // The refused write left the stored row (and so the grain's ETag) as it was: the next write goes through.
        var count = 0;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                count = await counter.IncrementAsync("after");
                return true;
            }
            catch (OrleansException)
            {
                return false;
            }
        }, "a state write after PostgreSQL came back");
        var stored = new GrainState<CounterState>();
        await silo.Services.GetRequiredKeyedService<IGrainStorage>("Default").ReadStateAsync("counter", counter.GetGrainId(), stored);
        Assert.Equal((count, "after"), (stored.State!.Count, stored.State.Note));
        await silo.StopAsync();
    }
}
