using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The hot path through the grains: offer, reservation, ring, answer, wrap-up, and the ways an offer fails.</summary>
public sealed class RoutingGrainTests
{
    [Fact]
    public async Task A_call_offered_to_a_queue_with_an_available_agent_rings_that_agent()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");

        var result = await silo.OfferAsync("c1");

        Assert.Equal(CallState.Reserved, result.State);
        Assert.Equal("a1", result.AgentId);
        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal(AgentState.Reserved, agent.State);
        Assert.Equal("c1", agent.Offer!.CallId);
        Assert.Equal((TestCenter.Start, "+100"), (agent.Offer.ArrivedAt, agent.Offer.CallerNumber));
        var ring = Assert.Single(await silo.AdapterGrain().GetPendingAsync());
        var action = Assert.IsType<RingAgent>(ring.Action);
        Assert.Equal(("a1", "user/a1", agent.Offer.OfferId), (action.AgentId, action.Endpoint, action.OfferId));
        Assert.Equal(TimeSpan.FromSeconds(15), action.RingTimeout);
    }

    [Fact]
    public async Task A_call_offered_with_nobody_available_waits_with_its_position()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Agent("a1").LoginAsync(new AgentLogin("user/a1"));

        var first = await silo.OfferAsync("c1");
        var second = await silo.OfferAsync("c2");

        Assert.Equal((CallState.Queued, 1), (first.State, first.QueuePosition));
        Assert.Equal((CallState.Queued, 2), (second.State, second.QueuePosition));
        Assert.Null(second.AgentId);
        Assert.Equal(2, (await silo.Queue("billing").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task A_waiting_call_is_offered_as_soon_as_an_eligible_agent_becomes_available()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");

        await silo.ReadyAsync("a1");

        var call = await silo.Call("c1").GetAsync();
        Assert.Equal((CallState.Reserved, "a1"), (call.State, call.AgentId));
        Assert.Equal(0, (await silo.Queue("billing").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task An_agent_who_finishes_wrap_up_is_offered_the_next_waiting_call()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);

        await silo.Call("c1").EndedAsync();
        await silo.SettleAsync();
        var wrapping = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal(AgentState.WrapUp, wrapping.State);
        Assert.Equal(silo.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), wrapping.WrapUpDeadline);
        Assert.Equal(CallState.Queued, (await silo.Call("c2").GetAsync()).State);

        await silo.Agent("a1").FinishWrapUpAsync("c1");
        await silo.SettleAsync();

        Assert.Equal((CallState.Completed, "a1"), ((await silo.Call("c1").GetAsync()).State, (await silo.Call("c1").GetAsync()).AgentId));
        Assert.Equal((CallState.Reserved, "a1"), ((await silo.Call("c2").GetAsync()).State, (await silo.Call("c2").GetAsync()).AgentId));
    }

    [Fact]
    public async Task Wrap_up_ends_by_itself_at_the_queue_maximum()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.Call("c1").EndedAsync();
        await silo.SettleAsync();

        await silo.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(AgentState.WrapUp, (await silo.Agent("a1").GetStatusAsync()).State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_call_that_rings_out_goes_back_to_the_head_of_its_queue_and_the_agent_goes_not_ready()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));
        await silo.OfferAsync("c2");
        await silo.ReadyAsync("a1");
        Assert.Equal("a1", (await silo.Call("c1").GetAsync()).AgentId);

        await silo.AdvanceAsync(TimeSpan.FromSeconds(15));

        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), (agent.State, agent.ReasonCode));
        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
        Assert.Equal(["c1", "c2"], waiting.Select(w => w.CallId));
        Assert.Equal(TestCenter.Start, waiting[0].EnqueuedAt);
        var pending = await silo.AdapterGrain().GetPendingAsync();
        Assert.Equal(new CancelRing("a1", CancelRingReason.RingTimeout), pending[^1].Action);
    }

    [Fact]
    public async Task A_rejected_call_goes_back_to_the_head_of_its_queue_and_the_agent_takes_the_next_one()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");
        var offer = (await silo.ReadyAsync("a1")).Offer;
        offer ??= (await silo.Agent("a1").GetStatusAsync()).Offer;
        Assert.Equal("c1", offer!.CallId);

        await silo.Agent("a1").RejectOfferAsync(offer.OfferId);
        await silo.SettleAsync();

        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal(AgentState.Reserved, agent.State);
        Assert.Equal("c2", agent.Offer!.CallId);
        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
        Assert.Equal("c1", Assert.Single(waiting).CallId);
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.Action == new CancelRing("a1", CancelRingReason.Rejected));
    }

    [Fact]
    public async Task A_rejected_call_is_offered_to_another_available_agent()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Agent("a2").LoginAsync(new AgentLogin("user/a2"));
        await silo.Agent("a2").SetReadyAsync();
        await silo.SettleAsync();

        var offer = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        await silo.Agent("a1").RejectOfferAsync(offer.OfferId);
        await silo.SettleAsync();

        Assert.Equal("a2", (await silo.Call("c1").GetAsync()).AgentId);
        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task An_agent_that_does_not_answer_at_the_switch_goes_not_ready_and_the_call_is_offered_again()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        var result = await silo.OfferAsync("c1");
        var first = result.AgentId!;

        await silo.Call("c1").AgentNoAnswerAsync("ev-1");
        await silo.SettleAsync();

        var missed = await silo.Agent(first).GetStatusAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.MissedOffer), (missed.State, missed.ReasonCode));
        var call = await silo.Call("c1").GetAsync();
        Assert.Equal(CallState.Reserved, call.State);
        Assert.NotEqual(first, call.AgentId);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_ringing_releases_the_agent_at_once()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");

        var call = await silo.Call("c1").CallerHungUpAsync();
        await silo.SettleAsync();

        Assert.Equal(CallState.Abandoned, call.State);
        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
        Assert.Equal(new CancelRing("a1", CancelRingReason.CallerHungUp), (await silo.AdapterGrain().GetPendingAsync())[^1].Action);
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_waiting_leaves_the_queue()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");

        await silo.Call("c1").CallerHungUpAsync();
        await silo.SettleAsync();

        Assert.Equal(CallState.Abandoned, (await silo.Call("c1").GetAsync()).State);
        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();
        Assert.Equal(("c2", 1), (Assert.Single(waiting).CallId, waiting[0].Position));
    }

    [Fact]
    public async Task An_agent_serving_two_queues_is_never_offered_two_calls()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a2");

        var offers = await Task.WhenAll(
            silo.Call("b1").OfferAsync(new CallOffer(RoutingSilo.Adapter, "b1", "+1", "billing")),
            silo.Call("s1").OfferAsync(new CallOffer(RoutingSilo.Adapter, "s1", "+2", "support")));
        await silo.SettleAsync();

        Assert.Single(offers, o => o.State == CallState.Reserved);
        Assert.Single(offers, o => o.State == CallState.Queued);
        var reserved = new[] { await silo.Call("b1").GetAsync(), await silo.Call("s1").GetAsync() }.Count(c => c.AgentId == "a2");
        Assert.Equal(1, reserved);
    }

    [Fact]
    public async Task When_two_queues_compete_for_an_agent_its_priority_for_the_queue_decides()
    {
        await using var silo = await RoutingSilo.StartAsync();
        // a1 serves billing at priority 5 and support at 1; the support call is older.
        await silo.OfferAsync("s1", queue: "support");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
        await silo.OfferAsync("b1", queue: "billing");

        await silo.ReadyAsync("a1");

        Assert.Equal("a1", (await silo.Call("b1").GetAsync()).AgentId);
        Assert.Equal(CallState.Queued, (await silo.Call("s1").GetAsync()).State);
    }

    [Fact]
    public async Task Calls_are_served_by_priority_then_first_come_first_served()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));
        await silo.OfferAsync("c2");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));
        await silo.OfferAsync("vip", build: b => b.Offer = b.Offer with { Tier = CustomerTier.Vip });
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));
        await silo.OfferAsync("c3");

        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();

        Assert.Equal(["vip", "c1", "c2", "c3"], waiting.Select(w => w.CallId));
    }

    [Fact]
    public async Task The_longest_idle_agent_takes_a_billing_call()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a2");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
        await silo.ReadyAsync("a1");

        var result = await silo.OfferAsync("c1");

        Assert.Equal("a2", result.AgentId);
    }

    [Fact]
    public async Task The_most_skilled_agent_takes_a_support_call()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("s1");
        await silo.ReadyAsync("a2");

        var result = await silo.OfferAsync("c1", queue: "support", build: b => b.Offer = b.Offer with { Skills = [new SkillRequirement("technical", 5)] });

        Assert.Equal("s1", result.AgentId);
    }

    [Fact]
    public async Task A_call_asking_for_a_skill_nobody_available_has_waits_for_an_agent_who_has_it()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a3");

        var result = await silo.OfferAsync("c1", build: b => b.Offer = b.Offer with { Skills = [new SkillRequirement("billing", 6)] });
        Assert.Equal(CallState.Queued, result.State);
        await silo.ReadyAsync("a2");

        Assert.Equal("a2", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task An_offer_is_answered_then_completed_with_its_journal_in_order()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(3));
        await silo.Call("c1").AnsweredAsync("e1");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(60));
        var duplicate = await silo.Call("c1").AnsweredAsync("e1");
        var ended = await silo.Call("c1").EndedAsync("e2");
        await silo.SettleAsync();

        Assert.True(duplicate.Duplicate);
        Assert.Equal(CallState.Completed, ended.State);
        Assert.Equal(AgentState.WrapUp, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task Retried_desk_requests_succeed_without_touching_a_later_call()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        var offer = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        await silo.Agent("a1").AcceptOfferAsync(offer.OfferId);
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        var acceptedAgain = await silo.Agent("a1").AcceptOfferAsync(offer.OfferId);
        await silo.Call("c1").EndedAsync();
        await silo.SettleAsync();
        await silo.Agent("a1").FinishWrapUpAsync("c1");
        await silo.OfferAsync("c2");
        await silo.Call("c2").AnsweredAsync();
        await silo.Call("c2").EndedAsync();
        await silo.SettleAsync();
        var finishedAgain = await silo.Agent("a1").FinishWrapUpAsync("c1");

        Assert.Equal(AgentState.OnCall, acceptedAgain.State);
        Assert.Equal((AgentState.WrapUp, "c2"), (finishedAgain.State, finishedAgain.CallId));
    }

    [Fact]
    public async Task The_offer_shows_the_agent_the_caller_language_and_call_data_for_a_screen_pop()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");

        await silo.OfferAsync("c1", caller: "+4930", build: b => b.Offer = b.Offer with
        {
            Tier = CustomerTier.Vip,
            Language = "en",
            DialedNumber = "+49800",
            CallData = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("account", "K-88120"),
        });

        var offer = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        Assert.Equal(("+4930", CustomerTier.Vip, "en", "+49800"), (offer.CallerNumber, offer.Tier, offer.Language, offer.DialedNumber));
        Assert.Equal("K-88120", offer.CallData["account"]);
        Assert.Equal(TestCenter.Start + TimeSpan.FromSeconds(15), offer.ExpiresAt);
    }
}
