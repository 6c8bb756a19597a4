using Microsoft.Extensions.DependencyInjection;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>Three silos in one Orleans test cluster: a call routes wherever its grains live, and every silo routes on the same configuration.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task A_call_is_routed_when_its_call_queue_and_agent_grains_sit_on_three_different_silos()
    {
        await using var silo = await RoutingSilo.StartAsync(silos: 3);
        var silos = silo.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        Assert.Equal(3, silos.Length);

        // The agent on the first silo, the queue on the second, the call (activated before its offer) on the third.
        await silo.Agent("a1").LoginAsync(new AgentLogin("user/a1"));
        await silo.Queue("billing").GetStatusAsync();
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Call("c1").GetAsync());
        await silo.SettleAsync();
        await PlaceAsync(silo, silo.Agent("a1"), silos[0]);
        await PlaceAsync(silo, silo.Queue("billing"), silos[1]);
        await PlaceAsync(silo, silo.Call("c1"), silos[2]);

        await silo.Agent("a1").SetReadyAsync();
        var offered = await silo.OfferAsync("c1");

        Assert.Equal((CallState.Reserved, "a1"), (offered.State, offered.AgentId));
        Assert.Equal(silos, new[] { Where(silo, silo.Agent("a1")), Where(silo, silo.Queue("billing")), Where(silo, silo.Call("c1")) });
        var ring = Assert.Single(await silo.AdapterGrain().GetPendingAsync(), i => i.Action is RingAgent);
        Assert.Equal(("c1", "a1"), (ring.ExternalCallId, ((RingAgent)ring.Action).AgentId));

        await silo.Call("c1").AnsweredAsync();
        // The call tells its agent without waiting (one silo to another): the agent is ON_CALL once that message landed.
        await silo.SettleAsync();
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task Configuration_written_through_one_silo_routes_on_every_silo_at_once()
    {
        await using var silo = await RoutingSilo.StartAsync(silos: 3);

        await silo.Center.UpsertQueueAsync(new QueueDefinition("returns"));

        foreach (var member in silo.Cluster.GetActiveSilos())
        {
            var directory = member.ServiceProvider.GetRequiredService<CenterDirectory>();
            Assert.NotNull(directory.FindQueue("returns"));
            Assert.Equal((await silo.Center.GetAsync()).Version, directory.Version);
        }
    }

    /// <summary>Moves a grain's activation to <paramref name="target"/> (Orleans migration) and waits until it lives there.</summary>
    private static async Task PlaceAsync(RoutingSilo silo, IAddressable grain, SiloAddress target)
    {
        if (Where(silo, grain) != target)
        {
            await silo.Cluster.MigrateAsync(grain.GetGrainId(), target);
        }

        await silo.SettleAsync();
        Assert.Equal(target, Where(silo, grain));
    }

    private static SiloAddress? Where(RoutingSilo silo, IAddressable grain) =>
        silo.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;
}
