using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.Postgres;

/// <summary>Silos in the test process on one PostgreSQL database: AdoNet clustering, grain storage and reminders.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    private static IHost Silo(string database, string clusterId = "test") =>
        TestSilo.Build(silo => silo.AddSwitchboardPostgresStore(o => o.ConnectionString = database), localhostClustering: false, clusterId: clusterId);

    [Fact]
    public async Task Two_silos_form_one_cluster_on_the_database()
    {
        var database = await postgres.NewDatabaseAsync();
        using var first = Silo(database);
        using var second = Silo(database);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        var management = first.Grains().GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "both silos active in the membership table");
        var seenBySecond = await second.Grains().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, seenBySecond.Count);

        // A grain on either silo writes through the same table.
        for (var i = 0; i < 10; i++)
        {
            await first.Grains().GetGrain<ICounterGrain>($"q{i}").IncrementAsync("from the cluster");
        }
        Assert.Equal("from the cluster", (await second.Grains().GetGrain<ICounterGrain>("q7").GetAsync()).Note);
        await Task.WhenAll(second.StopAsync(), first.StopAsync());
    }

    [Fact]
    public async Task Reminders_and_state_are_kept_in_the_database_across_a_restart_of_the_cluster()
    {
        var database = await postgres.NewDatabaseAsync();
        using (var silo = Silo(database))
        {
            await silo.StartAsync();
            await silo.Grains().GetGrain<IReminderGrain>("queue/billing").RegisterAsync("wake-up");
            await silo.Grains().GetGrain<ICounterGrain>("1001").IncrementAsync("kept");
            await silo.StopAsync();
        }
        using var restarted = Silo(database);
        await restarted.StartAsync();
        Assert.True(await restarted.Grains().GetGrain<IReminderGrain>("queue/billing").HasAsync("wake-up"));
        Assert.False(await restarted.Grains().GetGrain<IReminderGrain>("queue/other").HasAsync("wake-up"));
        var (count, note, _, _) = await restarted.Grains().GetGrain<ICounterGrain>("1001").GetAsync();
        Assert.Equal((1, "kept"), (count, note));

        await ETagChecks.StaleWritersAreRefusedAsync(restarted.Services.GetRequiredKeyedService<IGrainStorage>("Default"), GrainId.Create("counter", "etag"));
        await restarted.StopAsync();
    }

    [Fact]
    public async Task A_silo_whose_database_cannot_be_reached_fails_start_up_with_the_stores_message()
    {
        var port = Switchboard.Testing.FreePorts.Next();
        using var silo = TestSilo.Build(s => s.AddSwitchboardPostgresStore(o =>
        {
            o.ConnectionString = $"Host=127.0.0.1;Port={port};Database=switchboard;Username=silo;Password=hidden-pw";
            o.ConnectTimeout = TimeSpan.FromSeconds(1);
        }), localhostClustering: false);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => silo.StartAsync());
        var failure = Assert.IsType<StoreUnavailableException>(StoreStartupFailure.Find(error));
        Assert.Contains($"127.0.0.1:{port}/switchboard", failure.Message);
        Assert.DoesNotContain("hidden-pw", failure.Message);
    }
}
