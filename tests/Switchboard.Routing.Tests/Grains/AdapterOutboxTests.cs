using Switchboard.Actors.Streams;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The adapter's instruction outbox: ids, sequence, acks, re-sending on reconnect, expiry, failures.</summary>
public sealed class AdapterOutboxTests
{
    [Fact]
    public async Task Instructions_are_kept_in_sequence_until_acknowledged_and_resent_on_reconnect()
    {
        await using var silo = await RoutingSilo.StartAsync();
        using var topic = silo.Streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(RoutingSilo.Adapter)).Subscribe();
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");

        var first = await silo.AdapterGrain().ConnectAsync();
        Assert.Equal(2, first.Unacknowledged.Count);
        Assert.True(first.Unacknowledged[0].Sequence < first.Unacknowledged[1].Sequence);
        Assert.Equal(["c1", "c2"], first.Unacknowledged.Select(i => i.CallId));
        Assert.True(await silo.AdapterGrain().AckAsync(first.Unacknowledged[0].InstructionId, InstructionOutcome.Done));
        Assert.False(await silo.AdapterGrain().AckAsync(first.Unacknowledged[0].InstructionId, InstructionOutcome.Done));
        Assert.False(await silo.AdapterGrain().AckAsync("no-such-instruction", InstructionOutcome.Done));

        var again = await silo.AdapterGrain().ConnectAsync();

        Assert.Equal([first.Unacknowledged[1]], again.Unacknowledged);
        var published = new List<StreamItem<AdapterInstruction>>();
        while (topic.PendingCount > 0)
        {
            published.Add(await topic.ReadAsync());
        }

        Assert.Contains(published, p => !p.Removed && p.Key == first.Unacknowledged[1].InstructionId);
        Assert.Contains(published, p => p.Removed && p.Key == first.Unacknowledged[0].InstructionId);
    }

    [Fact]
    public async Task An_unacknowledged_ring_expires_and_the_agent_is_released_without_blame()
    {
        await using var silo = await RoutingSilo.StartAsync(routing: o => o.ExpireUnacknowledgedOffers = true);
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        var ring = Assert.Single(await silo.AdapterGrain().GetPendingAsync());
        Assert.Equal(TestCenter.Start + TimeSpan.FromSeconds(5), ring.ExpiresAt);

        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));

        var pending = await silo.AdapterGrain().GetPendingAsync();
        Assert.DoesNotContain(pending, i => i.InstructionId == ring.InstructionId);
        Assert.Contains(pending, i => i.Action == new CancelRing("a1", CancelRingReason.RingTimeout));
        // Released, not blamed: the agent is offered the call again rather than going not ready.
        var again = Assert.Single(pending, i => i.Action is RingAgent);
        Assert.NotEqual(((RingAgent)ring.Action).OfferId, ((RingAgent)again.Action).OfferId);
        Assert.Equal(AgentState.Reserved, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_ring_that_fails_as_unreachable_counts_as_a_missed_offer()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        var ring = Assert.Single(await silo.AdapterGrain().GetPendingAsync());

        await silo.AdapterGrain().AckAsync(ring.InstructionId, InstructionOutcome.Failed, AckFailure.EndpointUnreachable);
        await silo.SettleAsync();

        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), (agent.State, agent.ReasonCode));
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);
    }

    [Fact]
    public async Task An_adapter_that_lost_its_calls_ends_them_instead_of_receiving_them_again()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");

        var connection = await silo.AdapterGrain().ConnectAsync(callsLost: true);
        await silo.SettleAsync();

        Assert.Empty(connection.Unacknowledged);
        Assert.Equal(CallState.Abandoned, (await silo.Call("c1").GetAsync()).State);
        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
    }
}
