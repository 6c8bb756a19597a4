using Switchboard.Routing.Calls;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Calls;

public sealed class CallStateMachineTests
{
    private static CallStateMachine Queued(double enqueuedAt = 0)
    {
        var call = CallStateMachine.Offer(Call("c1", enqueuedAt), out _);
        call.Enqueue(At(enqueuedAt));
        return call;
    }

    private static CallStateMachine Answered()
    {
        var call = Queued();
        call.Reserve("a1", At(5));
        call.Ring(At(5));
        call.Answer(At(8));
        return call;
    }

    [Fact]
    public void An_offered_call_is_queued_then_reserved_rung_answered_and_completed()
    {
        var call = CallStateMachine.Offer(Call("c1"), out var offered);
        Assert.IsType<CallOffered>(Assert.Single(offered));
        Assert.Equal(CallState.Offered, call.State);

        Assert.IsType<CallQueued>(Assert.Single(call.Enqueue(At(0))));
        Assert.Equal("a1", Assert.IsType<CallReserved>(Assert.Single(call.Reserve("a1", At(3)))).AgentId);
        Assert.IsType<CallRinging>(Assert.Single(call.Ring(At(3))));
        var answered = Assert.IsType<CallAnswered>(Assert.Single(call.Answer(At(9))));
        Assert.Equal(TimeSpan.FromSeconds(9), answered.QueueWait);
        var completed = Assert.IsType<CallCompleted>(Assert.Single(call.Complete(At(69))));

        Assert.Equal(CallState.Completed, call.State);
        Assert.Equal(TimeSpan.FromSeconds(60), completed.TalkTime);
        Assert.True(call.IsFinished);
    }

    [Fact]
    public void Hold_time_is_reported_apart_from_talk_time()
    {
        var call = Answered();
        call.Hold(At(18));
        call.Unhold(At(28));
        call.Hold(At(40));

        var completed = Assert.IsType<CallCompleted>(Assert.Single(call.Complete(At(48))));

        Assert.Equal(TimeSpan.FromSeconds(18), completed.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(22), completed.TalkTime);
    }

    [Fact]
    public void A_rejected_call_is_queued_again_with_its_original_enqueue_time()
    {
        var call = Queued(enqueuedAt: 2);
        call.Reserve("a1", At(5));

        var events = call.Reject(At(7));

        Assert.Equal("a1", Assert.IsType<CallRejected>(events[0]).AgentId);
        var queued = Assert.IsType<CallQueued>(events[1]);
        Assert.True(queued.Requeued);
        Assert.Equal(At(2), queued.EnqueuedAt);
        Assert.Equal(CallState.Queued, call.State);
        Assert.Null(call.AgentId);
    }

    [Fact]
    public void A_call_that_rings_out_is_queued_again()
    {
        var call = Queued();
        call.Reserve("a1", At(5));
        call.Ring(At(5));

        var events = call.NoAnswer(At(20));

        Assert.IsType<CallNoAnswer>(events[0]);
        Assert.Equal(CallState.Queued, call.State);
    }

    [Fact]
    public void A_caller_hanging_up_while_ringing_is_an_abandon_naming_the_agent()
    {
        var call = Queued();
        call.Reserve("a1", At(5));

        var abandoned = Assert.IsType<CallAbandoned>(Assert.Single(call.Abandon(At(12))));

        Assert.Equal(("a1", TimeSpan.FromSeconds(12)), (abandoned.AgentId, abandoned.Wait));
        Assert.Equal(CallState.Abandoned, call.State);
    }

    [Fact]
    public void Answering_a_call_that_is_not_offered_to_an_agent_is_refused_without_change()
    {
        var call = Queued();

        var error = Assert.Throws<CallStateException>(() => call.Answer(At(3)));

        Assert.Equal("invalid-transition", error.Code);
        Assert.Contains("call c1 cannot answer", error.Message);
        Assert.Contains("Queued", error.Message);
        Assert.Equal(CallState.Queued, call.State);
        Assert.Equal(At(0), call.StateSince);
    }

    [Fact]
    public void A_finished_call_refuses_every_further_transition()
    {
        var call = Answered();
        call.Complete(At(30));

        Assert.Throws<CallStateException>(() => call.Abandon(At(31)));
        Assert.Throws<CallStateException>(() => call.Reserve("a2", At(31)));
        Assert.Throws<CallStateException>(() => call.Complete(At(31)));
        Assert.Equal(CallState.Completed, call.State);
    }

    [Fact]
    public void Overflow_moves_the_call_to_another_queue_keeping_its_enqueue_time()
    {
        var call = Queued(enqueuedAt: 1);

        var events = call.Overflow("billing-overflow", At(61));

        var overflowed = Assert.IsType<CallOverflowed>(events[0]);
        Assert.Equal(("billing", "billing-overflow", TimeSpan.FromSeconds(60)), (overflowed.QueueId, overflowed.ToQueueId, overflowed.Wait));
        Assert.Equal("billing-overflow", Assert.IsType<CallQueued>(events[1]).QueueId);
        Assert.Equal("billing-overflow", call.Call.QueueId);
        Assert.Equal(At(1), call.Call.EnqueuedAt);
    }

    [Fact]
    public void Overflow_to_the_same_queue_is_refused()
    {
        var call = Queued();

        Assert.Equal("bad-overflow-target", Assert.Throws<CallStateException>(() => call.Overflow("billing", At(5))).Code);
        Assert.Equal("billing", call.Call.QueueId);
    }

    [Fact]
    public void Max_wait_to_voicemail_ends_the_call_as_timed_out()
    {
        var call = Queued();

        var timedOut = Assert.IsType<CallTimedOut>(Assert.Single(call.TimeOut(MaxWaitAction.Voicemail, At(300))));

        Assert.Equal(MaxWaitAction.Voicemail, timedOut.Action);
        Assert.Equal(CallState.TimedOut, call.State);
        Assert.True(call.IsFinished);
    }

    [Fact]
    public void Max_wait_to_callback_schedules_a_callback_that_can_still_be_reserved()
    {
        var call = Queued();

        var events = call.TimeOut(MaxWaitAction.Callback, At(300));

        Assert.IsType<CallbackScheduled>(events[1]);
        Assert.Equal(CallState.CallbackScheduled, call.State);
        call.Reserve("a1", At(400));
        Assert.Equal(CallState.Reserved, call.State);
    }

    [Fact]
    public void Transfer_ends_the_leg_with_talk_time_and_needs_a_target()
    {
        var call = Answered();
        Assert.Equal("no-transfer-target", Assert.Throws<CallStateException>(() => call.Transfer(null, null, At(20))).Code);

        var transferred = Assert.IsType<CallTransferred>(Assert.Single(call.Transfer("retention", null, At(38))));

        Assert.Equal(("a1", "retention", TimeSpan.FromSeconds(30)), (transferred.AgentId, transferred.ToQueueId, transferred.TalkTime));
        Assert.Equal(CallState.Transferred, call.State);
    }

    [Fact]
    public void A_survey_score_is_accepted_from_1_to_5_after_the_call_only()
    {
        var call = Answered();
        Assert.Throws<CallStateException>(() => call.Survey(5, At(20)));
        call.Complete(At(30));

        Assert.Equal("score-out-of-range", Assert.Throws<CallStateException>(() => call.Survey(6, At(40))).Code);
        var surveyed = Assert.IsType<CallSurveyed>(Assert.Single(call.Survey(4, At(40))));
        Assert.Equal(("a1", 4), (surveyed.AgentId, surveyed.Score));
    }

    [Fact]
    public void A_call_rebuilt_from_its_journal_is_the_call_that_wrote_it()
    {
        var journal = new List<CallEvent>();
        var call = CallStateMachine.Offer(Call("c1", 0), out var offered);
        journal.AddRange(offered);
        journal.AddRange(call.Enqueue(At(0)));
        journal.AddRange(call.Reserve("a1", At(2)));
        journal.AddRange(call.NoAnswer(At(17)));
        journal.AddRange(call.Overflow("general", At(30)));
        journal.AddRange(call.Reserve("a2", At(31)));
        journal.AddRange(call.Answer(At(33)));
        journal.AddRange(call.Hold(At(40)));

        var rebuilt = CallStateMachine.Rebuild(journal);

        Assert.Equal((call.State, call.AgentId, call.Call, call.AnsweredAt, call.OnHold, call.StateSince),
            (rebuilt.State, rebuilt.AgentId, rebuilt.Call, rebuilt.AnsweredAt, rebuilt.OnHold, rebuilt.StateSince));
        Assert.Equal(call.Complete(At(70)), rebuilt.Complete(At(70)));
    }

    [Fact]
    public void A_journal_that_does_not_start_with_the_offer_is_refused()
    {
        Assert.Equal("journal-without-offer",
            Assert.Throws<CallStateException>(() => CallStateMachine.Rebuild([new CallQueued("c1", "billing", At(0), At(0), false)])).Code);
    }
}
