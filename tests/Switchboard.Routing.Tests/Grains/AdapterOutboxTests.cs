using Microsoft.Extensions.DependencyInjection;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The adapter's instruction outbox: ids, sequence, acks, re-sending on reconnect, expiry, failures.</summary>
public sealed class AdapterOutboxTests
{
    private static bool IsInstruction(Switchboard.Routing.Journal.JournalAppend append) =>
        append.Entries.Any(e => e.Type == RoutingJournal.AdapterIssued);

    /// <summary>The next instruction published (acks show as removals: skipped).</summary>
    private static async Task<AdapterInstruction> NextAsync(TopicSubscription<AdapterInstruction> topic)
    {
        while (true)
        {
            var item = await topic.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (!item.Removed && item.Value is { } instruction)
            {
                return instruction;
            }
        }
    }

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
        var published = new List<TopicItem<AdapterInstruction>>();
        while (topic.PendingCount > 0)
        {
            published.Add(await topic.ReadAsync());
        }

        Assert.Contains(published, p => !p.Removed && p.Key == first.Unacknowledged[1].InstructionId);
        Assert.Contains(published, p => p.Removed && p.Key == first.Unacknowledged[0].InstructionId);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(8)]
    public async Task Instructions_issued_together_on_SQLite_share_commits_and_are_published_and_replayed_in_sequence(int numberBlock)
    {
        // With blocks of 8 numbers most of the 200 outrun the reservations and wait for their own records instead.
        var folder = Directory.CreateTempSubdirectory("switchboard-outbox-").FullName;
        try
        {
            var database = Path.Combine(folder, "routing.db");
            List<AdapterInstruction> published = [];
            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database, routing: o => o.InstructionNumberBlock = numberBlock))
            {
                using var topic = silo.Streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(RoutingSilo.Adapter)).Subscribe();
                var outbox = silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter);
                var store = silo.Journal;
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
    public async Task An_instruction_is_published_before_its_record_is_durable_and_its_number_is_never_given_again_after_a_crash()
    {
        // The lost instruction's record never reaches the disk, yet the adapter has it: its number was reserved when
        // the first was issued.
        AdapterInstruction? first = null;
        await CrashWithOnePublishedAsync(
            async (_, outbox, topic) =>
            {
                first = await outbox.IssueAsync("c1", "ext-1", new PlayPosition(1, null), expires: false);
                Assert.Equal(first, await NextAsync(topic));
            },
            async (silo, lost) =>
            {
                Assert.Equal(first!.Sequence + 1, lost.Sequence);

                // Only what was journaled is sent again; the lost instruction's number and id go to nobody else.
                Assert.Equal([first], (await silo.AdapterGrain().ConnectAsync()).Unacknowledged);
                var next = await silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter)
                    .IssueAsync("c3", "ext-3", new PlayPosition(1, null), expires: false);
                Assert.True(next.Sequence > lost.Sequence, $"{next.Sequence} after {lost.Sequence}");
                Assert.NotEqual(lost.InstructionId, next.InstructionId);
            });
    }

    [Fact]
    public async Task A_number_reserved_before_a_checkpoint_moved_replay_past_its_record_is_not_given_again_after_a_crash()
    {
        // The first instruction reserves the first block; 70 acknowledged instructions later a checkpoint starts replay
        // past that reservation's record. Then one more is published, its record lost with the silo.
        await CrashWithOnePublishedAsync(
            async (silo, outbox, _) =>
            {
                for (var i = 1; i <= 70; i++)
                {
                    var issued = await outbox.IssueAsync($"c{i}", $"ext-{i}", new PlayPosition(1, null), expires: false);
                    Assert.True(await silo.AdapterGrain().AckAsync(issued.InstructionId, InstructionOutcome.Done));
                }
            },
            async (silo, lost) =>
            {
                Assert.Equal(71, lost.Sequence);
                Assert.Empty((await silo.AdapterGrain().ConnectAsync()).Unacknowledged);
                var next = await silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter)
                    .IssueAsync("c72", "ext-72", new PlayPosition(1, null), expires: false);
                Assert.True(next.Sequence > lost.Sequence, $"{next.Sequence} after {lost.Sequence}");
            });
    }

    /// <summary>
    /// On a SQLite silo: runs <paramref name="before"/>, then issues a RING_AGENT whose record never reaches the disk,
    /// waits until the adapter's stream has it, crashes the silo and runs <paramref name="after"/> on a new silo on
    /// the same file with the instruction that was lost.
    /// </summary>
    private static async Task CrashWithOnePublishedAsync(
        Func<RoutingSilo, IAdapterOutbox, TopicSubscription<AdapterInstruction>, Task> before, Func<RoutingSilo, AdapterInstruction, Task> after)
    {
        var folder = Directory.CreateTempSubdirectory("switchboard-outbox-").FullName;
        try
        {
            var database = Path.Combine(folder, "routing.db");
            var hold = 0;
            CrashingJournal? crashing = null;
            AdapterInstruction lost;
            await using (var silo = await RoutingSilo.StartAsync(
                sqlitePath: database,
                wrapJournal: store => crashing = new CrashingJournal(store, append =>
                    Volatile.Read(ref hold) == 1 && IsInstruction(append) ? WriteFate.Hold : WriteFate.Pass)))
            {
                using var topic = silo.Streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(RoutingSilo.Adapter)).Subscribe();
                var outbox = silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter);
                await before(silo, outbox, topic);
                Volatile.Write(ref hold, 1);
                var issuing = outbox.IssueAsync("lost", "ext-lost", new RingAgent("a1", "sip:a1", TimeSpan.FromSeconds(20), "o-1", "lost"), expires: true);
                try
                {
                    await crashing!.Held;
                    do
                    {
                        lost = await NextAsync(topic);
                    }
                    while (lost.CallId != "lost");

                    Assert.False(issuing.IsCompleted);
                }
                finally
                {
                    crashing!.Crash();
                }

                await Assert.ThrowsAnyAsync<Exception>(() => issuing);
            }

            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
            {
                await after(silo, lost);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_instruction_past_the_reserved_numbers_waits_for_the_next_reservation_or_its_own_record_and_none_overtakes_another()
    {
        // Blocks of 4: the first instruction reserves numbers 1-5, the fourth asks for 6-9. From the fourth on the
        // disk is slow: nothing the outbox writes is durable until the test lets it through.
        var slow = 0;
        CrashingJournal? crashing = null;
        await using var silo = await RoutingSilo.StartAsync(
            routing: o => o.InstructionNumberBlock = 4,
            wrapJournal: store => crashing = new CrashingJournal(store, append =>
                Volatile.Read(ref slow) == 1 && append.Stream.StartsWith("adapter/", StringComparison.Ordinal) ? WriteFate.Hold : WriteFate.Pass));
        using var topic = silo.Streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(RoutingSilo.Adapter)).Subscribe();
        var outbox = silo.Grains.GetGrain<IAdapterOutbox>(RoutingSilo.Adapter);
        Task<AdapterInstruction> Issue(int i) => outbox.IssueAsync($"c{i}", $"ext-{i}", new PlayPosition(i, null), expires: false);

        await Issue(1);
        await Issue(2);
        await Issue(3);
        Volatile.Write(ref slow, 1);
        Task[] issuing = [Issue(4), Issue(5), Issue(6)];
        try
        {
            // Held: the reservation of 6-9 and the records of 4, 5 and 6. Each instruction is published, or not, in
            // the turn that queued its record.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (crashing!.HeldCount < 4 || topic.PendingCount < 5)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{crashing.HeldCount} writes held, {topic.PendingCount} instructions published");
                await Task.Delay(5);
            }

            // 4 and 5 are reserved numbers: published while their records wait. 6 is past them and waits.
            Assert.Equal([1L, 2, 3, 4, 5], await PublishedAsync(topic));
            Assert.DoesNotContain(issuing, t => t.IsCompleted);
        }
        finally
        {
            Volatile.Write(ref slow, 0);
            crashing!.Release();
        }

        await Task.WhenAll(issuing).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([6L], await PublishedAsync(topic));
        Assert.Equal([1L, 2, 3, 4, 5, 6], (await silo.AdapterGrain().GetPendingAsync()).Select(i => i.Sequence));
    }

    private static async Task<List<long>> PublishedAsync(TopicSubscription<AdapterInstruction> topic)
    {
        List<long> published = [];
        while (topic.PendingCount > 0)
        {
            published.Add((await topic.ReadAsync()).Value!.Sequence);
        }

        return published;
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
