using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>Bad input gets a typed error naming what is wrong, and changes nothing.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task A_call_offered_to_an_unknown_queue_is_refused_naming_the_queue()
    {
        await using var silo = await RoutingSilo.StartAsync();

        var error = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.OfferAsync("c1", queue: "nope"));

        Assert.Equal(("unknown-queue", "queue", "nope"), (error.Code, error.Kind, error.Id));
        Assert.Contains("'nope'", error.Message);
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Call("c1").GetAsync());
    }

    [Fact]
    public async Task A_call_asking_for_an_unknown_skill_is_refused_naming_the_skill()
    {
        await using var silo = await RoutingSilo.StartAsync();

        var error = await Assert.ThrowsAsync<RoutingNotFoundException>(
            () => silo.OfferAsync("c1", build: b => b.Offer = b.Offer with { Skills = [new SkillRequirement("juggling", 3)] }));
        var language = await Assert.ThrowsAsync<RoutingNotFoundException>(
            () => silo.OfferAsync("c2", build: b => b.Offer = b.Offer with { Language = "klingon" }));

        Assert.Equal(("unknown-skill", "juggling"), (error.Code, error.Id));
        Assert.Equal(("unknown-skill", "klingon"), (language.Code, language.Id));
        Assert.Equal(0, (await silo.Queue("billing").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task A_call_id_offered_again_for_another_caller_is_refused_and_the_first_call_is_unchanged()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", caller: "+111");

        var error = await Assert.ThrowsAsync<DuplicateCallException>(() => silo.OfferAsync("c1", caller: "+222"));
        var retry = await silo.OfferAsync("c1", caller: "+111");

        Assert.Equal(("duplicate-call", "c1"), (error.Code, error.CallId));
        Assert.Contains("+111", error.Message);
        Assert.True(retry.Duplicate);
        Assert.Equal((CallState.Queued, 1), (retry.State, retry.QueuePosition));
        var call = await silo.Call("c1").GetAsync();
        Assert.Equal(("+111", "billing"), (call.CallerNumber, call.QueueId));
        Assert.Single(await silo.Queue("billing").GetWaitingCallsAsync());
    }

    [Fact]
    public async Task Accepting_an_offer_the_agent_never_had_is_not_found_and_the_agent_is_unchanged()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var before = await silo.ReadyAsync("a1");

        var error = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").AcceptOfferAsync("o-1"));

        Assert.Equal(("unknown-offer", "o-1"), (error.Code, error.Id));
        var after = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((before.State, before.StateSince), (after.State, after.StateSince));
    }

    [Fact]
    public async Task Rejecting_an_offer_that_is_not_the_pending_one_is_refused_naming_the_offer()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");

        var error = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").RejectOfferAsync("o-other"));

        Assert.Equal(("unknown-offer", "o-other"), (error.Code, error.Id));
        Assert.Equal(AgentState.Reserved, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task An_answer_reported_for_another_agent_than_the_reserved_one_is_refused_and_the_call_stays_reserved()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");

        var error = await Assert.ThrowsAsync<CallStateException>(() => silo.Call("c1").AnsweredAsync("e-1", "a2"));
        var retry = await Assert.ThrowsAsync<CallStateException>(() => silo.Call("c1").AnsweredAsync("e-1", "a2"));
        var answered = await silo.Call("c1").AnsweredAsync("e-2", "a1");
        var late = await Assert.ThrowsAsync<CallStateException>(() => silo.Call("c1").AnsweredAsync("e-3", "a2"));
        var again = await silo.Call("c1").AnsweredAsync("e-2", "a1");
        await silo.SettleAsync();

        Assert.Equal(("other-agent", CallState.Reserved, "answer"), (error.Code, error.State, error.Action));
        Assert.Contains("agent a1, not a2", error.Message, StringComparison.Ordinal);
        Assert.Equal("other-agent", retry.Code);
        Assert.Equal((CallState.Answered, "a1", false), (answered.State, answered.AgentId, answered.Duplicate));
        Assert.Equal(("other-agent", CallState.Answered), (late.Code, late.State));
        Assert.True(again.Duplicate);
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task Finishing_wrap_up_while_on_a_call_is_refused_and_the_call_goes_on()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        var error = await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a1").FinishWrapUpAsync("c1"));

        Assert.Equal(("not-in-wrap-up", AgentState.OnCall), (error.Code, error.State));
        Assert.Contains("a1", error.Message);
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
        Assert.Equal(CallState.Answered, (await silo.Call("c1").GetAsync()).State);
    }

    [Fact]
    public async Task An_unknown_agent_or_reason_code_is_refused_by_name()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");

        var agent = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("ghost").LoginAsync(new AgentLogin("user/x")));
        var reason = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").SetNotReadyAsync("siesta"));
        var system = await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a1").SetNotReadyAsync(AgentReasonCodes.MissedOffer));

        Assert.Equal(("unknown-agent", "ghost"), (agent.Code, agent.Id));
        Assert.Equal(("unknown-reason-code", "siesta"), (reason.Code, reason.Id));
        Assert.Equal("system-reason-code", system.Code);
        Assert.Equal(AgentState.Available, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task Logging_out_with_a_call_is_refused()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        var error = await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a1").LogoutAsync());

        Assert.Equal("busy", error.Code);
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task Not_ready_asked_for_during_a_call_is_applied_when_wrap_up_ends()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        var pending = await silo.Agent("a1").SetNotReadyAsync("lunch");
        await silo.Call("c1").EndedAsync();
        await silo.SettleAsync();
        await silo.OfferAsync("c2");
        await silo.Agent("a1").FinishWrapUpAsync("c1");
        await silo.SettleAsync();

        Assert.Equal(("lunch", AgentState.OnCall), (pending.PendingReasonCode, pending.State));
        var after = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.NotReady, "lunch"), (after.State, after.ReasonCode));
        Assert.Equal(CallState.Queued, (await silo.Call("c2").GetAsync()).State);
    }

    [Fact]
    public async Task A_transfer_to_an_unknown_queue_or_to_two_targets_is_refused_and_the_call_goes_on()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        var unknown = await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("a1").TransferAsync(TransferTarget.ToQueue("nope")));
        var both = await Assert.ThrowsAsync<ArgumentException>(() => silo.Agent("a1").TransferAsync(new TransferTarget("support", "a2")));

        Assert.Equal(("unknown-queue", "nope"), (unknown.Code, unknown.Id));
        Assert.Contains("exactly one target", both.Message);
        Assert.Equal(CallState.Answered, (await silo.Call("c1").GetAsync()).State);
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
    }
}
