namespace Switchboard.Routing.Calls;

/// <summary>
/// The state of one call and the rules of its lifecycle (DOMAIN.md). A call grain holds one, calls an
/// operation with <c>now</c>, and journals the events returned before acting on them. A refused
/// operation throws <see cref="CallStateException"/> and changes nothing.
/// </summary>
public sealed class CallStateMachine
{
    private TimeSpan _holdTime;
    private DateTimeOffset _holdSince;

    private CallStateMachine(Call call)
    {
        Call = call;
        StateSince = call.EnqueuedAt;
    }

    /// <summary>The call record; its queue changes on overflow, its original enqueue time never.</summary>
    public Call Call { get; private set; }

    public string CallId => Call.CallId;

    public CallState State { get; private set; }

    public DateTimeOffset StateSince { get; private set; }

    /// <summary>The agent reserved for, ringing with or talking on this call; otherwise null.</summary>
    public string? AgentId { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public bool OnHold { get; private set; }

    /// <summary>The agent that last had this call answered, for repeat routing of a transfer back.</summary>
    public string? LastAgentId { get; private set; }

    public bool IsFinished => State is CallState.Completed or CallState.Abandoned or CallState.TimedOut or CallState.Transferred;

    /// <summary>A new call offered by an adapter; its enqueue time is <paramref name="call"/>.EnqueuedAt.</summary>
    public static CallStateMachine Offer(Call call, out IReadOnlyList<CallEvent> events)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (string.IsNullOrEmpty(call.CallId) || string.IsNullOrEmpty(call.QueueId))
        {
            throw new CallStateException("invalid-call", call.CallId ?? "", CallState.Offered, "offer",
                "a call needs a call id and a queue id");
        }

        var machine = new CallStateMachine(call);
        events = machine.Emit(new CallOffered(call.CallId, call.QueueId, call.EnqueuedAt, call));
        return machine;
    }

    /// <summary>Offered to Queued.</summary>
    public IReadOnlyList<CallEvent> Enqueue(DateTimeOffset now)
    {
        Require("enqueue", CallState.Offered);
        return Emit(new CallQueued(CallId, Call.QueueId, now, Call.EnqueuedAt, false));
    }

    /// <summary>Queued (or a scheduled callback) to Reserved for <paramref name="agentId"/>.</summary>
    public IReadOnlyList<CallEvent> Reserve(string agentId, DateTimeOffset now)
    {
        Require("reserve", CallState.Queued, CallState.CallbackScheduled);
        return Emit(new CallReserved(CallId, Call.QueueId, now, agentId));
    }

    public IReadOnlyList<CallEvent> Ring(DateTimeOffset now)
    {
        Require("ring", CallState.Reserved);
        return Emit(new CallRinging(CallId, Call.QueueId, now, AgentId!));
    }

    /// <summary>Reserved or Ringing to Answered (an adapter may not report ringing).</summary>
    public IReadOnlyList<CallEvent> Answer(DateTimeOffset now)
    {
        Require("answer", CallState.Reserved, CallState.Ringing);
        return Emit(new CallAnswered(CallId, Call.QueueId, now, AgentId!, NonNegative(now - Call.EnqueuedAt)));
    }

    /// <summary>
    /// Refuses an action reported for <paramref name="agentId"/> when the call is reserved for, or answered by, another
    /// agent (code <c>other-agent</c>); a call with no agent accepts it.
    /// </summary>
    public void RequireAgent(string action, string agentId)
    {
        if (AgentId is { } holder && holder != agentId)
        {
            throw Refuse(action, "other-agent", $"it is with agent {holder}, not {agentId}");
        }
    }

    /// <summary>The agent declined: the call is Queued again at its original place (the head, within its priority).</summary>
    public IReadOnlyList<CallEvent> Reject(DateTimeOffset now)
    {
        Require("reject", CallState.Reserved, CallState.Ringing);
        return Emit(new CallRejected(CallId, Call.QueueId, now, AgentId!), new CallQueued(CallId, Call.QueueId, now, Call.EnqueuedAt, true));
    }

    /// <summary>The offer rang out: the call is Queued again at its original place.</summary>
    public IReadOnlyList<CallEvent> NoAnswer(DateTimeOffset now)
    {
        Require("time out an offer", CallState.Reserved, CallState.Ringing);
        return Emit(new CallNoAnswer(CallId, Call.QueueId, now, AgentId!), new CallQueued(CallId, Call.QueueId, now, Call.EnqueuedAt, true));
    }

    /// <summary>The caller hung up before an answer.</summary>
    public IReadOnlyList<CallEvent> Abandon(DateTimeOffset now)
    {
        Require("abandon", CallState.Offered, CallState.Queued, CallState.Reserved, CallState.Ringing, CallState.CallbackScheduled);
        return Emit(new CallAbandoned(CallId, Call.QueueId, now, NonNegative(now - Call.EnqueuedAt), AgentId));
    }

    public IReadOnlyList<CallEvent> Hold(DateTimeOffset now)
    {
        Require("hold", CallState.Answered);
        if (OnHold)
        {
            throw Refuse("hold", "already-on-hold", "it is already on hold");
        }

        return Emit(new CallHoldChanged(CallId, Call.QueueId, now, AgentId!, true));
    }

    public IReadOnlyList<CallEvent> Unhold(DateTimeOffset now)
    {
        Require("unhold", CallState.Answered);
        if (!OnHold)
        {
            throw Refuse("unhold", "not-on-hold", "it is not on hold");
        }

        return Emit(new CallHoldChanged(CallId, Call.QueueId, now, AgentId!, false));
    }

    /// <summary>The conversation ended (either side hung up).</summary>
    public IReadOnlyList<CallEvent> Complete(DateTimeOffset now)
    {
        Require("complete", CallState.Answered);
        var (talk, hold) = Conversation(now);
        return Emit(new CallCompleted(CallId, Call.QueueId, now, AgentId!, talk, hold));
    }

    /// <summary>The agent handed the call to another queue or agent; this leg ends.</summary>
    public IReadOnlyList<CallEvent> Transfer(string? toQueueId, string? toAgentId, DateTimeOffset now)
    {
        Require("transfer", CallState.Answered);
        if (string.IsNullOrEmpty(toQueueId) && string.IsNullOrEmpty(toAgentId))
        {
            throw Refuse("transfer", "no-transfer-target", "a transfer needs a target queue or agent");
        }

        var (talk, hold) = Conversation(now);
        return Emit(new CallTransferred(CallId, Call.QueueId, now, AgentId!, toQueueId, toAgentId, talk, hold));
    }

    /// <summary>Queued to Queued in <paramref name="toQueueId"/>, keeping the original enqueue time.</summary>
    public IReadOnlyList<CallEvent> Overflow(string toQueueId, DateTimeOffset now)
    {
        Require("overflow", CallState.Queued);
        if (string.IsNullOrEmpty(toQueueId) || string.Equals(toQueueId, Call.QueueId, StringComparison.Ordinal))
        {
            throw Refuse("overflow", "bad-overflow-target", $"overflow target '{toQueueId}' must be another queue");
        }

        return Emit(
            new CallOverflowed(CallId, Call.QueueId, now, toQueueId, NonNegative(now - Call.EnqueuedAt)),
            new CallQueued(CallId, toQueueId, now, Call.EnqueuedAt, true));
    }

    /// <summary>
    /// The queue's maximum wait was reached. Voicemail ends the call (TimedOut); Callback keeps its place
    /// as a scheduled callback; Overflow is <see cref="Overflow"/>.
    /// </summary>
    public IReadOnlyList<CallEvent> TimeOut(MaxWaitAction action, DateTimeOffset now, string? overflowQueueId = null, string? overflowNumber = null)
    {
        Require("time out", CallState.Queued);
        var wait = NonNegative(now - Call.EnqueuedAt);
        switch (action)
        {
            case MaxWaitAction.Voicemail:
                return Emit(new CallTimedOut(CallId, Call.QueueId, now, action, wait));
            case MaxWaitAction.Callback:
                return Emit(new CallTimedOut(CallId, Call.QueueId, now, action, wait), new CallbackScheduled(CallId, Call.QueueId, now, Call.CallerNumber));
            case MaxWaitAction.Overflow when !string.IsNullOrEmpty(overflowQueueId) && !string.Equals(overflowQueueId, Call.QueueId, StringComparison.Ordinal):
                return Emit(
                    new CallTimedOut(CallId, Call.QueueId, now, action, wait),
                    new CallOverflowed(CallId, Call.QueueId, now, overflowQueueId, wait),
                    new CallQueued(CallId, overflowQueueId, now, Call.EnqueuedAt, true));
            case MaxWaitAction.Overflow when !string.IsNullOrEmpty(overflowNumber):
                // Out to an external number: the call leaves Switchboard, timed out in its queue.
                return Emit(
                    new CallOverflowed(CallId, Call.QueueId, now, Call.QueueId, wait, overflowNumber),
                    new CallTimedOut(CallId, Call.QueueId, now, action, wait));
            default:
                throw Refuse("time out", "bad-max-wait-action", $"max-wait action {action} needs {(action == MaxWaitAction.Overflow ? "an overflow queue" : "a real action")}");
        }
    }

    /// <summary>The caller chose to be called back; it keeps its place in the queue.</summary>
    public IReadOnlyList<CallEvent> ScheduleCallback(string? callbackNumber, DateTimeOffset now)
    {
        Require("schedule a callback", CallState.Queued);
        return Emit(new CallbackScheduled(CallId, Call.QueueId, now, string.IsNullOrEmpty(callbackNumber) ? Call.CallerNumber : callbackNumber));
    }

    /// <summary>Records the post-call survey score (1-5) of a finished, answered call.</summary>
    public IReadOnlyList<CallEvent> Survey(int score, DateTimeOffset now)
    {
        Require("record a survey", CallState.Completed, CallState.Transferred);
        if (score is < 1 or > 5)
        {
            throw Refuse("record a survey", "score-out-of-range", $"score {score} is outside 1-5");
        }

        return Emit(new CallSurveyed(CallId, Call.QueueId, now, LastAgentId, score));
    }

    /// <summary>
    /// Rebuilds a call from its journal: its events in order, the first one <see cref="CallOffered"/>. The
    /// result is the call exactly as it was after the last event.
    /// </summary>
    public static CallStateMachine Rebuild(IEnumerable<CallEvent> events)
    {
        CallStateMachine? machine = null;
        foreach (var e in events)
        {
            if (machine is null)
            {
                if (e is not CallOffered offered)
                {
                    throw new CallStateException("journal-without-offer", e.CallId, CallState.Offered, "rebuild",
                        $"call {e.CallId} cannot be rebuilt: its journal starts with {e.GetType().Name}, not CallOffered");
                }

                machine = new CallStateMachine(offered.Call);
            }

            machine.Apply(e);
        }

        return machine ?? throw new ArgumentException("a call journal needs at least its CallOffered event", nameof(events));
    }

    private (TimeSpan Talk, TimeSpan Hold) Conversation(DateTimeOffset now)
    {
        var hold = _holdTime + (OnHold ? NonNegative(now - _holdSince) : TimeSpan.Zero);
        var total = NonNegative(now - AnsweredAt!.Value);
        hold = hold > total ? total : hold;
        return (total - hold, hold);
    }

    private CallEvent[] Emit(params CallEvent[] events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }

        return events;
    }

    /// <summary>
    /// Applies one journaled event. Operations build their events and apply them through here, so replaying
    /// the journal reproduces the state exactly; passed-through states (Rejected, Overflowed...) are followed
    /// by the CallQueued of the same operation.
    /// </summary>
    private void Apply(CallEvent e)
    {
        if (e is not (CallHoldChanged or CallSurveyed))
        {
            StateSince = e.At;
        }

        switch (e)
        {
            case CallOffered offered:
                Call = offered.Call;
                State = CallState.Offered;
                break;
            case CallQueued queued:
                State = CallState.Queued;
                AgentId = null;
                if (!string.Equals(Call.QueueId, queued.QueueId, StringComparison.Ordinal))
                {
                    Call = Call with { QueueId = queued.QueueId };
                }

                break;
            case CallReserved reserved:
                State = CallState.Reserved;
                AgentId = reserved.AgentId;
                break;
            case CallRinging:
                State = CallState.Ringing;
                break;
            case CallAnswered answered:
                State = CallState.Answered;
                AgentId = answered.AgentId;
                LastAgentId = answered.AgentId;
                AnsweredAt = answered.At;
                break;
            case CallRejected:
                State = CallState.Rejected;
                AgentId = null;
                break;
            case CallNoAnswer:
                State = CallState.NoAnswer;
                AgentId = null;
                break;
            case CallAbandoned:
                State = CallState.Abandoned;
                AgentId = null;
                break;
            case CallHoldChanged { OnHold: true } held:
                OnHold = true;
                _holdSince = held.At;
                break;
            case CallHoldChanged unheld:
                _holdTime += NonNegative(unheld.At - _holdSince);
                OnHold = false;
                break;
            case CallCompleted:
                State = CallState.Completed;
                OnHold = false;
                break;
            case CallTransferred:
                State = CallState.Transferred;
                OnHold = false;
                break;
            case CallOverflowed overflowed:
                State = CallState.Overflowed;
                Call = Call with { QueueId = overflowed.ToQueueId };
                break;
            case CallTimedOut:
                State = CallState.TimedOut;
                break;
            case CallbackScheduled:
                State = CallState.CallbackScheduled;
                break;
        }
    }

    private void Require(string action, params ReadOnlySpan<CallState> allowed)
    {
        foreach (var state in allowed)
        {
            if (State == state)
            {
                return;
            }
        }

        throw Refuse(action, "invalid-transition", "its lifecycle does not allow it");
    }

    private CallStateException Refuse(string action, string code, string why) =>
        new(code, CallId, State, action, $"call {CallId} cannot {action}: {why} (state {State}, queue {Call.QueueId})");

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
