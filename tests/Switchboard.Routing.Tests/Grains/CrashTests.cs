using System.Collections.Immutable;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// A silo dies between the durable writes of one offer (ADR 004) and a new silo starts on the same SQLite file: every
/// call the adapter offers again is routed once, no agent stays reserved for an offer nobody will ring, and the queue
/// holds no call twice and none without a journal.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly TimeSpan PastAnyOffer = TimeSpan.FromSeconds(40);

    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-crash-").FullName;

    private string Database => Path.Combine(_directory, "routing.db");

    [Fact]
    public async Task A_crash_after_the_agent_is_reserved_and_before_the_call_records_it_puts_the_call_back_in_line()
    {
        // Today's chain: the agent's reservation is durable, the call's record of it is not.
        var stoppedAt = await CrashWithAgentReservedAsync(
            append => append.Stream == "call/c1" && append.Entries.Any(e => e.Type == "call.reserved") ? WriteFate.Hold : WriteFate.Pass);

        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt);
        var lost = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        Assert.Equal((AgentState.Reserved, "c1"), await StateAsync(silo, "a1"));
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);
        Assert.Empty(await silo.Queue("billing").GetWaitingCallsAsync());

        // The offer nobody rang rings out; the call hears of an offer it never recorded, so its queue takes it back
        // at its place, and the agent, who missed nothing, is available again and takes it: one ring, to a1.
        await silo.AdvanceAsync(lost.ExpiresAt - silo.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal((AgentState.Reserved, "c1"), await StateAsync(silo, "a1"));
        var offered = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        Assert.NotEqual(lost.OfferId, offered.OfferId);
        Assert.Equal((CallState.Reserved, "a1"), await CallAsync(silo, "c1"));
        Assert.Equal(["a1"], await RingsAsync(silo, "c1"));
    }

    [Fact]
    public async Task A_crash_after_a_waiting_call_is_offered_and_before_the_call_records_it_puts_the_call_back_at_its_place()
    {
        // c1 waited, so the queue journals its line: c1 being offered to a1 is durable there, with a1's reservation;
        // the call's record of it is not. After the restart the queue holds c1 for an offer that only rings out.
        DateTimeOffset stoppedAt;
        CrashingJournal? crashing = null;
        await using (var silo = await RoutingSilo.StartAsync(
            sqlitePath: Database,
            wrapJournal: store => crashing = new CrashingJournal(store, append =>
                append.Stream == "call/c1" && append.Entries.Any(e => e.Type == "call.reserved") ? WriteFate.Hold : WriteFate.Pass)))
        {
            Assert.Equal(CallState.Queued, (await silo.OfferAsync("c1")).State);
            await silo.Agent("a1").LoginAsync(new AgentLogin("user/a1"));
            await silo.Agent("a1").SetReadyAsync();
            await crashing!.Held;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while ((await silo.Agent("a1").GetStatusAsync()).State != AgentState.Reserved || !await QueueJournaledOfferedAsync(silo, "billing", "c1"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the queue never journaled c1 as offered");
                await Task.Delay(10);
            }

            crashing.Crash();
            stoppedAt = silo.Clock.GetUtcNow();
        }

        await using var next = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt);
        var lost = (await next.Agent("a1").GetStatusAsync()).Offer!;
        Assert.Equal(CallState.Queued, (await next.Call("c1").GetAsync()).State);
        Assert.Equal(1, (await next.Queue("billing").GetStatusAsync()).CallsOffered);

        // The offer nobody rang rings out: the queue takes c1 back at its place and offers it again, to a1, who
        // missed nothing. Before, the queue went on holding c1 for the dead offer, and nobody rang for it.
        await next.AdvanceAsync(lost.ExpiresAt - next.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        var offered = (await next.Agent("a1").GetStatusAsync()).Offer!;
        Assert.NotEqual(lost.OfferId, offered.OfferId);
        await AssertOfferedOnceAsync(next, "c1", "a1");
    }

    [Fact]
    public async Task A_queue_gives_a_call_back_only_for_the_offer_the_call_names_as_lost()
    {
        // Stand-in for a call whose record of its offer died with its silo while the queue lived (ADR 004): the call
        // names the offer that rang out, and the queue must tell it from any other offer it holds the call for.
        await using var silo = await RoutingSilo.StartAsync();
        var queue = silo.Grains.GetGrain<IQueueRouting>("billing");

        // c1 waited and a1 took it itself when it became ready: the queue never hears that offer's id.
        Assert.Equal(CallState.Queued, (await silo.OfferAsync("c1")).State);
        await silo.ReadyAsync("a1");
        Assert.Equal((CallState.Reserved, "a1"), await CallAsync(silo, "c1"));
        await queue.RestoreAsync(Request("c1"), "a2", "o-elsewhere");
        Assert.Equal((0, 1), await LineAsync(silo));
        await queue.RestoreAsync(Request("c1"), "a1", "o-lost");
        Assert.Equal((1, 0), await LineAsync(silo));
        Assert.True(await queue.RemoveAsync("c1"));

        // c2 was reserved at once by the queue, which knows the offer's id: only that id gives it back.
        await silo.ReadyAsync("a2");
        Assert.Equal(CallState.Reserved, (await silo.OfferAsync("c2")).State);
        var offer = (await silo.Agent("a2").GetStatusAsync()).Offer!;
        await queue.RestoreAsync(Request("c2"), "a2", "o-other");
        Assert.Equal((0, 1), await LineAsync(silo));
        await queue.RestoreAsync(Request("c2"), "a2", offer.OfferId);
        Assert.Equal((1, 0), await LineAsync(silo));

        static EnqueueRequest Request(string callId) => new(
            new Call(callId, "billing", "+100", CustomerTier.Standard, [], null, 0, TestCenter.Start), null, false, ImmutableDictionary<string, string>.Empty);

        static async Task<(int Waiting, int Offered)> LineAsync(RoutingSilo silo)
        {
            var status = await silo.Queue("billing").GetStatusAsync();
            return (status.CallsWaiting, status.CallsOffered);
        }
    }

    [Fact]
    public async Task A_late_ring_out_of_an_offer_that_did_ring_keeps_the_agents_missed_offer()
    {
        // The adapter reports no answer while the agent's own offer timer fires: the agent's ring-out reaches a call
        // already back in line. That offer rang (the call recorded it), so the agent stays not ready.
        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database);
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        var offer = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        await silo.Call("c1").AgentNoAnswerAsync();
        await silo.SettleAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), await ReasonAsync(silo, "a1"));

        await silo.Grains.GetGrain<ICallRouting>("c1").OfferFailedAsync("a1", offer.OfferId, "billing", OfferFailure.NoAnswer);
        await silo.SettleAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), await ReasonAsync(silo, "a1"));
        Assert.Equal(["c1"], (await silo.Queue("billing").GetWaitingCallsAsync()).Select(w => w.CallId));
    }

    [Fact]
    public async Task A_call_whose_first_records_died_with_its_silo_is_routed_once_when_the_adapter_offers_it_again()
    {
        // The agent's reservation is durable and the call's first records are not: the agent and its queue on a silo
        // that lived, the call on the one that died. (On one silo the store commits in order and cannot leave this.)
        var stoppedAt = await CrashWithAgentReservedAsync(FirstRecordsOf("c1"));

        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt);
        Assert.Equal((AgentState.Reserved, "c1"), await StateAsync(silo, "a1"));
        await silo.ReadyAsync("a2");

        // The adapter had no reply: it offers the call again under the same id, and the call starts afresh.
        var again = await silo.OfferAsync("c1");
        Assert.False(again.Duplicate);
        Assert.Equal((CallState.Reserved, "a2"), (again.State, again.AgentId));
        await silo.Call("c1").AnsweredAsync();

        // The first offer rings out at a1 and reaches the new call, which does not take it for its own.
        await silo.AdvanceAsync(PastAnyOffer);
        Assert.Equal(AgentState.NotReady, (await StateAsync(silo, "a1")).State);
        Assert.Equal((CallState.Answered, "a2"), await CallAsync(silo, "c1"));
        Assert.Equal((AgentState.OnCall, "c1"), await StateAsync(silo, "a2"));
        var queue = await silo.Queue("billing").GetStatusAsync();
        Assert.Equal((0, 0), (queue.CallsWaiting, queue.CallsOffered));
        Assert.Equal(["a2"], await RingsAsync(silo, "c1"));
    }

    [Fact]
    public async Task A_waiting_call_whose_first_records_died_with_its_silo_is_let_go_and_the_agent_offered_it_is_released()
    {
        // Nobody is ready: the queue's line record of c1 is durable, c1's own records are not.
        var stoppedAt = await CrashWithCallWaitingAsync();

        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt);
        Assert.Equal(["c1"], (await silo.Queue("billing").GetWaitingCallsAsync()).Select(w => w.CallId));

        // The caller hung up meanwhile: no retry. The queue offers c1 to the first agent ready, the call finds no
        // journal, and the agent is released at once, without a missed offer.
        await silo.ReadyAsync("a1");
        Assert.Equal((AgentState.Available, null), await StateAsync(silo, "a1"));
        var queue = await silo.Queue("billing").GetStatusAsync();
        Assert.Equal((0, 0), (queue.CallsWaiting, queue.CallsOffered));
        Assert.Empty(await RingsAsync(silo, "c1"));

        Assert.Equal("a1", (await silo.OfferAsync("c2")).AgentId);
    }

    [Fact]
    public async Task A_waiting_call_offered_again_after_its_records_died_waits_once_at_its_old_place_and_is_routed_once()
    {
        var stoppedAt = await CrashWithCallWaitingAsync();

        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database, start: stoppedAt + TimeSpan.FromSeconds(2));
        var again = await silo.OfferAsync("c1");
        Assert.Equal((CallState.Queued, 1, false), (again.State, again.QueuePosition, again.Duplicate));
        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
        Assert.Equal(["c1"], waiting.Select(w => w.CallId));
        Assert.Equal(stoppedAt, waiting[0].EnqueuedAt);

        await silo.ReadyAsync("a1");
        await AssertOfferedOnceAsync(silo, "c1", "a1");
    }

    [Fact]
    public async Task A_call_whose_first_records_fail_to_commit_is_refused_holds_no_agent_and_routes_on_the_retry()
    {
        var failures = 0;
        await using var silo = await RoutingSilo.StartAsync(
            sqlitePath: Database,
            wrapJournal: store => new CrashingJournal(store, append => FirstRecordsOf("c1")(append) == WriteFate.Hold && Interlocked.Increment(ref failures) == 1 ? WriteFate.Fail : WriteFate.Pass));
        await silo.ReadyAsync("a1");

        // The queue reserves a1 while the records are being written; the write fails, so the offer is refused and
        // both are undone: the queue lets the call go and a1 is free again, without a missed offer.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => silo.Call("c1").OfferAsync(Offer("c1")));
        Assert.Contains("call/c1", error.Message, StringComparison.Ordinal);
        await silo.SettleAsync();
        Assert.Equal((AgentState.Available, null), await StateAsync(silo, "a1"));
        var queue = await silo.Queue("billing").GetStatusAsync();
        Assert.Equal((0, 0), (queue.CallsWaiting, queue.CallsOffered));
        Assert.Empty(await RingsAsync(silo, "c1"));

        var retried = await silo.OfferAsync("c1");
        Assert.Equal((CallState.Reserved, "a1", false), (retried.State, retried.AgentId, retried.Duplicate));
        Assert.Equal(["a1"], await RingsAsync(silo, "c1"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static CallOffer Offer(string callId) => new(RoutingSilo.Adapter, callId, "+100", "billing");

    /// <summary>Holds a call's first records: its meta, offered and queued events.</summary>
    private static Func<JournalAppend, WriteFate> FirstRecordsOf(string callId) =>
        append => append.Stream == $"call/{callId}" && append.Entries[0].Type == RoutingJournal.CallMeta ? WriteFate.Hold : WriteFate.Pass;

    /// <summary>c1 is offered with a1 ready; the silo crashes once a1's reservation is durable.</summary>
    private Task<DateTimeOffset> CrashWithAgentReservedAsync(Func<JournalAppend, WriteFate> fate) =>
        CrashAsync(
            fate,
            async silo =>
            {
                await silo.ReadyAsync("a1");
                return silo.Call("c1").OfferAsync(Offer("c1"));
            },
            async silo => (await silo.Agent("a1").GetStatusAsync()).State == AgentState.Reserved);

    /// <summary>c1 is offered with nobody ready, its first records held back; the silo crashes once the queue's line holds it.</summary>
    private Task<DateTimeOffset> CrashWithCallWaitingAsync() =>
        CrashAsync(
            FirstRecordsOf("c1"),
            silo => Task.FromResult(silo.Call("c1").OfferAsync(Offer("c1"))),
            async silo => (await silo.Queue("billing").GetWaitingCallsAsync()).Any(w => w.CallId == "c1"));

    /// <summary>
    /// Starts a silo whose store holds back the writes <paramref name="fate"/> picks, runs <paramref name="act"/> (which
    /// returns the offer left hanging on a held write), waits until <paramref name="reached"/> is true, then crashes
    /// the silo. Returns the virtual time of the crash.
    /// </summary>
    private async Task<DateTimeOffset> CrashAsync(Func<JournalAppend, WriteFate> fate, Func<RoutingSilo, Task<Task<OfferCallResult>>> act, Func<RoutingSilo, Task<bool>> reached)
    {
        CrashingJournal? crashing = null;
        await using var silo = await RoutingSilo.StartAsync(sqlitePath: Database, wrapJournal: store => crashing = new CrashingJournal(store, fate));
        var offering = await act(silo);
        await crashing!.Held;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await reached(silo))
        {
            Assert.True(DateTime.UtcNow < deadline, "the silo never reached the state to crash in");
            await Task.Delay(10);
        }

        crashing.Crash();
        await Assert.ThrowsAnyAsync<Exception>(() => offering);
        return silo.Clock.GetUtcNow();
    }

    /// <summary>Whether the queue's newest durable line record has the call being offered (read back from the store).</summary>
    private static async Task<bool> QueueJournaledOfferedAsync(RoutingSilo silo, string queueId, string callId)
    {
        JournalRecord? last = null;
        await foreach (var record in silo.Journal.ReadAsync(new JournalQuery { Stream = $"queue/{queueId}", Types = [RoutingJournal.QueueLine] }))
        {
            last = record;
        }

        return last is not null && RoutingJournal.Read<QueueLineChange>(last).Set.Any(e => e.Offered && e.Entry.CallId == callId);
    }

    private static async Task<(AgentState State, string? CallId)> StateAsync(RoutingSilo silo, string agentId)
    {
        var status = await silo.Agent(agentId).GetStatusAsync();
        return (status.State, status.CallId);
    }

    private static async Task<(AgentState State, string? ReasonCode)> ReasonAsync(RoutingSilo silo, string agentId)
    {
        var status = await silo.Agent(agentId).GetStatusAsync();
        return (status.State, status.ReasonCode);
    }

    private static async Task<(CallState State, string? AgentId)> CallAsync(RoutingSilo silo, string callId)
    {
        var call = await silo.Call(callId).GetAsync();
        return (call.State, call.AgentId);
    }

    /// <summary>The call is reserved for the agent, rung there and nowhere else, and its queue holds it as offered only.</summary>
    private static async Task AssertOfferedOnceAsync(RoutingSilo silo, string callId, string agentId)
    {
        Assert.Equal((CallState.Reserved, agentId), await CallAsync(silo, callId));
        Assert.Equal([agentId], await RingsAsync(silo, callId));
        var queue = await silo.Queue("billing").GetStatusAsync();
        Assert.Equal((0, 1), (queue.CallsWaiting, queue.CallsOffered));
    }

    /// <summary>The agents the adapter was told to ring for a call, in order.</summary>
    private static async Task<List<string>> RingsAsync(RoutingSilo silo, string callId)
    {
        await silo.SettleAsync();
        return [.. (await silo.AdapterGrain().GetPendingAsync()).Where(i => i.CallId == callId).Select(i => i.Action).OfType<RingAgent>().Select(r => r.AgentId)];
    }
}
