using Switchboard.Routing.Agents;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Agents;

public sealed class AgentStateMachineTests
{
    private static AgentStateMachine Available(double at = 0) => AvailableAgent(Agent("a7"), at);

    private static AgentStateMachine Reserved(string callId = "c1")
    {
        var agent = Available();
        agent.Reserve(callId, "billing", At(10), At(25));
        return agent;
    }

    private static AgentStateMachine OnCall(string callId = "c1")
    {
        var agent = Reserved(callId);
        agent.Answer(callId, At(12));
        return agent;
    }

    [Fact]
    public void A_new_agent_is_logged_out_and_login_makes_it_not_ready()
    {
        var agent = new AgentStateMachine(Agent("a7"), T0);
        Assert.Equal(AgentState.LoggedOut, agent.State);

        var events = agent.Login(At(1));

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(events));
        Assert.Equal((AgentState.LoggedOut, AgentState.NotReady, AgentAction.Login), (changed.From, changed.To, changed.Action));
        Assert.Equal(AgentReasonCodes.LoggedIn, agent.ReasonCode);
        Assert.Equal(At(1), changed.At);
        Assert.Equal(TimeSpan.FromSeconds(1), changed.TimeInPreviousState);
    }

    [Fact]
    public void Going_ready_and_not_ready_with_a_reason_is_recorded_with_timestamps()
    {
        var agent = Available(0);
        var events = agent.SetNotReady("lunch", At(30));

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(events));
        Assert.Equal(AgentState.NotReady, agent.State);
        Assert.Equal("lunch", changed.ReasonCode);
        Assert.Equal(TimeSpan.FromSeconds(30), changed.TimeInPreviousState);
        Assert.Equal(At(30), agent.StateSince);

        agent.SetReady(At(90));
        Assert.Equal(AgentState.Available, agent.State);
        Assert.Null(agent.ReasonCode);
        Assert.Equal(At(90), agent.AvailableSince);
    }

    [Fact]
    public void A_reservation_succeeds_only_for_an_available_agent()
    {
        var agent = Available();
        var events = agent.Reserve("c1", "billing", At(10), At(25));

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(events));
        Assert.Equal(AgentState.Reserved, changed.To);
        Assert.Equal("c1", changed.CallId);
        Assert.Equal(At(25), agent.OfferExpiresAt);
        Assert.False(agent.CanReserve);
    }

    [Fact]
    public void An_agent_already_reserved_cannot_be_reserved_for_a_second_call()
    {
        var agent = Reserved("c1");

        var error = Assert.Throws<AgentStateException>(() => agent.Reserve("c2", "sales", At(11)));

        Assert.Equal("not-available", error.Code);
        Assert.Contains("c1", error.Message);
        Assert.Equal("c1", agent.CallId);
        Assert.Equal(AgentState.Reserved, agent.State);
    }

    [Fact]
    public void A_not_ready_agent_cannot_be_reserved()
    {
        var agent = Available();
        agent.SetNotReady("break", At(5));

        Assert.Throws<AgentStateException>(() => agent.Reserve("c1", "billing", At(6)));
        Assert.Equal(AgentState.NotReady, agent.State);
    }

    [Fact]
    public void Answering_without_an_offer_is_refused_with_a_message_naming_agent_action_and_state()
    {
        var agent = Available();

        var error = Assert.Throws<AgentStateException>(() => agent.Answer("c1", At(3)));

        Assert.Equal("agent a7 cannot answer: it has no pending offer (state Available)", error.Message);
        Assert.Equal(("no-pending-offer", "a7", AgentState.Available, "answer"), (error.Code, error.AgentId, error.State, error.Action));
        Assert.Equal(AgentState.Available, agent.State);
        Assert.Equal(T0, agent.StateSince);
    }

    [Fact]
    public void Answering_a_different_call_than_the_one_offered_is_refused()
    {
        var agent = Reserved("c1");

        var error = Assert.Throws<AgentStateException>(() => agent.Answer("c2", At(11)));

        Assert.Equal("wrong-call", error.Code);
        Assert.Equal(AgentState.Reserved, agent.State);
    }

    [Fact]
    public void An_offer_that_rings_out_makes_the_agent_not_ready_with_missed_offer()
    {
        var agent = Reserved("c1");

        var events = agent.OfferTimeout("c1", At(25));

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(events));
        Assert.Equal((AgentState.NotReady, AgentAction.OfferTimeout, "c1"), (changed.To, changed.Action, changed.CallId));
        Assert.Equal(AgentReasonCodes.MissedOffer, agent.ReasonCode);
        Assert.Null(agent.CallId);
    }

    [Fact]
    public void A_rejected_offer_leaves_the_agent_available()
    {
        var agent = Reserved("c1");

        agent.Reject("c1", At(13));

        Assert.Equal(AgentState.Available, agent.State);
        Assert.Equal(At(13), agent.AvailableSince);
        Assert.True(agent.CanReserve);
    }

    [Fact]
    public void A_caller_hanging_up_while_ringing_frees_the_agent_without_a_miss()
    {
        var agent = Reserved("c1");

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(agent.CancelOffer("c1", At(14))));

        Assert.Equal(AgentAction.OfferCancelled, changed.Action);
        Assert.Equal(AgentState.Available, agent.State);
    }

    [Fact]
    public void Answer_hold_unhold_end_and_finish_wrap_up_walk_the_whole_cycle()
    {
        var agent = OnCall("c1");
        Assert.Equal(AgentState.OnCall, agent.State);

        var held = Assert.IsType<AgentHoldChanged>(Assert.Single(agent.Hold(At(20))));
        Assert.True(held.OnHold);
        Assert.True(agent.OnHold);
        var unheld = Assert.IsType<AgentHoldChanged>(Assert.Single(agent.Unhold(At(50))));
        Assert.Equal(TimeSpan.FromSeconds(30), unheld.HoldDuration);

        agent.EndCall("c1", At(112), TimeSpan.FromSeconds(60));
        Assert.Equal(AgentState.WrapUp, agent.State);
        Assert.Equal(At(172), agent.WrapUpDeadline);

        var finished = Assert.IsType<AgentStateChanged>(Assert.Single(agent.FinishWrapUp(At(140))));
        Assert.Equal((AgentState.WrapUp, AgentState.Available, "c1"), (finished.From, finished.To, finished.CallId));
        Assert.Equal(TimeSpan.FromSeconds(28), finished.TimeInPreviousState);
        Assert.Equal(TimeSpan.FromSeconds(30), agent.HoldTime(At(200)));
        Assert.Equal(1, agent.CallsHandled);
    }

    [Fact]
    public void Ending_a_call_on_hold_ends_the_hold_first()
    {
        var agent = OnCall("c1");
        agent.Hold(At(20));

        var events = agent.EndCall("c1", At(40), TimeSpan.FromSeconds(30));

        Assert.Equal(2, events.Count);
        Assert.False(Assert.IsType<AgentHoldChanged>(events[0]).OnHold);
        Assert.Equal(AgentState.WrapUp, Assert.IsType<AgentStateChanged>(events[1]).To);
        Assert.False(agent.OnHold);
    }

    [Fact]
    public void Finishing_wrap_up_with_a_reason_makes_the_agent_not_ready()
    {
        var agent = OnCall("c1");
        agent.EndCall("c1", At(60), TimeSpan.FromSeconds(60));

        agent.FinishWrapUp(At(70), "training");

        Assert.Equal(AgentState.NotReady, agent.State);
        Assert.Equal("training", agent.ReasonCode);
    }

    [Fact]
    public void Wrap_up_cannot_be_finished_while_on_a_call()
    {
        var agent = OnCall("c1");

        var error = Assert.Throws<AgentStateException>(() => agent.FinishWrapUp(At(30)));

        Assert.Equal("not-in-wrap-up", error.Code);
        Assert.Equal(AgentState.OnCall, agent.State);
        Assert.Equal("c1", agent.CallId);
    }

    [Fact]
    public void Wrap_up_times_out_at_the_queue_maximum_and_not_before()
    {
        var agent = OnCall("c1");
        agent.EndCall("c1", At(60), TimeSpan.FromSeconds(30));

        Assert.Throws<AgentStateException>(() => agent.WrapUpTimeout(At(89)));
        Assert.Equal(AgentState.WrapUp, agent.State);

        var changed = Assert.IsType<AgentStateChanged>(Assert.Single(agent.WrapUpTimeout(At(90))));
        Assert.Equal((AgentAction.WrapUpTimeout, AgentState.Available), (changed.Action, changed.To));
    }

    [Fact]
    public void An_agent_on_a_call_cannot_log_out_or_go_not_ready()
    {
        var agent = OnCall("c1");

        Assert.Throws<AgentStateException>(() => agent.Logout(At(30)));
        Assert.Throws<AgentStateException>(() => agent.SetNotReady("break", At(30)));
        Assert.Equal(AgentState.OnCall, agent.State);
    }

    [Fact]
    public void Hold_is_refused_unless_on_a_call_and_not_already_held()
    {
        var agent = Available();
        Assert.Equal("not-on-call", Assert.Throws<AgentStateException>(() => agent.Hold(At(1))).Code);

        var talking = OnCall("c1");
        talking.Hold(At(20));
        Assert.Equal("already-on-hold", Assert.Throws<AgentStateException>(() => talking.Hold(At(21))).Code);
        Assert.Equal("not-on-hold", Assert.Throws<AgentStateException>(() => OnCall("c2").Unhold(At(21))).Code);
    }

    [Fact]
    public void Logging_in_twice_is_refused_and_logging_out_returns_to_logged_out()
    {
        var agent = Available();
        Assert.Equal("already-logged-in", Assert.Throws<AgentStateException>(() => agent.Login(At(1))).Code);

        agent.Logout(At(5));

        Assert.Equal(AgentState.LoggedOut, agent.State);
    }

    [Fact]
    public void Time_per_state_is_accumulated_and_gives_occupancy()
    {
        // Available 0-10, reserved 10-12, on call 12-72 (hold 20-50 inside), wrap-up 72-102, available 102-130.
        var agent = OnCall("c1");
        agent.Hold(At(20));
        agent.Unhold(At(50));
        agent.EndCall("c1", At(72), TimeSpan.FromSeconds(60));
        agent.FinishWrapUp(At(102));

        var now = At(130);
        Assert.Equal(TimeSpan.FromSeconds(38), agent.TimeIn(AgentState.Available, now));
        Assert.Equal(TimeSpan.FromSeconds(2), agent.TimeIn(AgentState.Reserved, now));
        Assert.Equal(TimeSpan.FromSeconds(60), agent.TimeIn(AgentState.OnCall, now));
        Assert.Equal(TimeSpan.FromSeconds(30), agent.TimeIn(AgentState.WrapUp, now));
        Assert.Equal(90.0 / 130.0, agent.Occupancy(now), 9);
    }

    [Fact]
    public void Setting_ready_twice_changes_nothing()
    {
        var agent = Available();

        Assert.Empty(agent.SetReady(At(5)));
        Assert.Equal(T0, agent.AvailableSince);
    }

    [Fact]
    public void An_agent_rebuilt_from_its_journal_is_the_agent_that_wrote_it()
    {
        var journal = new List<AgentEvent>();
        var agent = new AgentStateMachine(Agent("a7"), T0);
        journal.AddRange(agent.Login(At(1)));
        journal.AddRange(agent.SetReady(At(5)));
        journal.AddRange(agent.Reserve("c1", "billing", At(10), At(25)));
        journal.AddRange(agent.Answer("c1", At(12)));
        journal.AddRange(agent.Hold(At(20)));
        journal.AddRange(agent.EndCall("c1", At(50), TimeSpan.FromSeconds(45)));

        var rebuilt = AgentStateMachine.Rebuild(Agent("a7"), T0, journal);

        var now = At(60);
        Assert.Equal(
            (agent.State, agent.StateSince, agent.CallId, agent.QueueId, agent.WrapUpDeadline, agent.AvailableSince, agent.OnHold, agent.CallsHandled),
            (rebuilt.State, rebuilt.StateSince, rebuilt.CallId, rebuilt.QueueId, rebuilt.WrapUpDeadline, rebuilt.AvailableSince, rebuilt.OnHold, rebuilt.CallsHandled));
        Assert.Equal(agent.HoldTime(now), rebuilt.HoldTime(now));
        Assert.Equal(agent.Occupancy(now), rebuilt.Occupancy(now));
        Assert.Equal(At(95), rebuilt.WrapUpDeadline);
    }
}
