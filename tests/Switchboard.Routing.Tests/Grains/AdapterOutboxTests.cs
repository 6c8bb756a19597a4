using Microsoft.Extensions.DependencyInjection;
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
    public async Task Instructions_issued_together_on_SQLite_share_commits_and_are_published_and_replayed_in_sequence()
    {
        var folder = Directory.CreateTempSubdirectory("switchboard-outbox-").FullName;
        try
        {
            var database = Path.Combine(folder, "routing.db");
            List<AdapterInstruction> published = [];
            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
            {
                using var topic = silo.Streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(RoutingSilo.Adapter)).Subscribe();
                var outbox = silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter);
                var store = silo.Services.GetRequiredService<Switchboard.Actors.Storage.IGrainStoreRegistry>().Get("Default");
                var commitsBefore = store.Statistics.Transactions;

                // 200 calls' instructions arrive at once: each is written before it is published, and none waits for
                // the commit of the one before it.
                var issued = await Task.WhenAll(Enumerable.Range(1, 200).Select(i =>
                    outbox.IssueAsync($"c{i}", $"ext-{i}", new PlayPosition(i, null), expires: false)));

                Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), issued.Select(i => i.Sequence).Order());
                Assert.True(store.Statistics.Transactions - commitsBefore < 100, $"{store.Statistics.Transactions - commitsBefore} commits for 200 instructions");
                while (topic.PendingCount > 0)
                {
                    published.Add((await topic.ReadAsync()).Value!);
                }

                Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), published.Select(i => i.Sequence));
            }

            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
            {
                var replayed = (await silo.AdapterGrain().ConnectAsync()).Unacknowledged;
                Assert.Equal(published, replayed);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
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
