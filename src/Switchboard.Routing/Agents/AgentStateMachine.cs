namespace Switchboard.Routing.Agents;

/// <summary>
/// The state of one agent and the rules of its transitions (DOMAIN.md, "Agent states").
/// An agent grain holds one: it calls an operation with <c>now</c> from its TimeProvider, journals the
/// events returned, then publishes them. A refused operation throws <see cref="AgentStateException"/>
/// and changes nothing. Single-threaded, as a grain turn is.
/// </summary>
public sealed class AgentStateMachine
{
    private static readonly AgentEvent[] NoEvents = [];

    // Time accumulated in each AgentState, indexed by the enum value; the current state's
    // running time is added on read.
    private readonly TimeSpan[] _timeInState = new TimeSpan[6];
    private TimeSpan _holdTime;

    public AgentStateMachine(AgentProfile profile, DateTimeOffset now)
    {
        Profile = profile;
        StateSince = now;
        AvailableSince = now;
    }

    public AgentProfile Profile { get; private set; }

    public string AgentId => Profile.AgentId;

    public AgentState State { get; private set; }

    /// <summary>When the current state began.</summary>
    public DateTimeOffset StateSince { get; private set; }

    /// <summary>The not-ready reason code while <see cref="State"/> is NotReady; otherwise null.</summary>
    public string? ReasonCode { get; private set; }

    /// <summary>The call this agent is reserved for, talking on, or wrapping up; otherwise null.</summary>
    public string? CallId { get; private set; }

    /// <summary>The call whose wrap-up ended last (a retried finish of it succeeds without touching a later call).</summary>
    public string? LastWrappedCallId { get; private set; }

    /// <summary>The queue of <see cref="CallId"/>.</summary>
    public string? QueueId { get; private set; }

    public bool OnHold { get; private set; }

    public DateTimeOffset HoldSince { get; private set; }

    /// <summary>When the agent last became Available: longest-idle routing orders by it.</summary>
    public DateTimeOffset AvailableSince { get; private set; }

    /// <summary>When the pending offer rings out, while Reserved.</summary>
    public DateTimeOffset? OfferExpiresAt { get; private set; }

    /// <summary>When wrap-up is forced to end, while in WrapUp.</summary>
    public DateTimeOffset? WrapUpDeadline { get; private set; }

    /// <summary>Calls answered since this object was created.</summary>
    public int CallsHandled { get; private set; }

    /// <summary>True when the agent can take an offer now.</summary>
    public bool CanReserve => State == AgentState.Available && CallId is null;

    /// <summary>Replaces the profile (skills or routing profile changed by an administrator); state is kept.</summary>
    public void UpdateProfile(AgentProfile profile)
    {
        if (!string.Equals(profile.AgentId, Profile.AgentId, StringComparison.Ordinal))
        {
            throw new AgentStateException("agent-id-mismatch", AgentId, State, "update-profile",
                $"agent {AgentId} cannot take the profile of agent {profile.AgentId}");
        }

        Profile = profile;
    }

    /// <summary>Total time spent in <paramref name="state"/>, including the current stretch up to <paramref name="now"/>.</summary>
    public TimeSpan TimeIn(AgentState state, DateTimeOffset now)
    {
        var total = _timeInState[(int)state];
        if (state == State && now > StateSince)
        {
            total += now - StateSince;
        }

        return total;
    }

    /// <summary>Total hold time, including a hold in progress.</summary>
    public TimeSpan HoldTime(DateTimeOffset now) => OnHold && now > HoldSince ? _holdTime + (now - HoldSince) : _holdTime;

    /// <summary>
    /// Occupancy (DOMAIN.md): busy time (on call, hold included, plus wrap-up) over busy plus available
    /// time. Reserved (ringing) counts as available: the agent was idle and offered work. 0 when neither.
    /// </summary>
    public double Occupancy(DateTimeOffset now)
    {
        var busy = TimeIn(AgentState.OnCall, now) + TimeIn(AgentState.WrapUp, now);
        var idle = TimeIn(AgentState.Available, now) + TimeIn(AgentState.Reserved, now);
        var total = busy + idle;
        return total <= TimeSpan.Zero ? 0d : busy / total;
    }

    public IReadOnlyList<AgentEvent> Login(DateTimeOffset now, string? reasonCode = null)
    {
        Require(AgentState.LoggedOut, "login", "already-logged-in", "it is already logged in");
        return [Move(now, AgentAction.Login, AgentState.NotReady, reasonCode ?? AgentReasonCodes.LoggedIn)];
    }

    public IReadOnlyList<AgentEvent> Logout(DateTimeOffset now)
    {
        if (State is not (AgentState.NotReady or AgentState.Available))
        {
            throw Refuse("logout", "busy", State == AgentState.LoggedOut
                ? "it is not logged in"
                : "it has a call (finish it and its wrap-up first)");
        }

        return [Move(now, AgentAction.Logout, AgentState.LoggedOut)];
    }

    /// <summary>NotReady to Available. Already Available: no change, no events.</summary>
    public IReadOnlyList<AgentEvent> SetReady(DateTimeOffset now)
    {
        if (State == AgentState.Available)
        {
            return NoEvents;
        }

        Require(AgentState.NotReady, "go ready", "not-ready-expected", "only a not-ready agent can go ready");
        return [Move(now, AgentAction.Ready, AgentState.Available)];
    }

    /// <summary>Available or NotReady to NotReady(reason); a new reason while NotReady is recorded too.</summary>
    public IReadOnlyList<AgentEvent> SetNotReady(string reasonCode, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(reasonCode))
        {
            throw Refuse("go not ready", "reason-required", "a not-ready reason code is required");
        }

        if (State is not (AgentState.Available or AgentState.NotReady))
        {
            throw Refuse("go not ready", "busy", State == AgentState.LoggedOut
                ? "it is not logged in"
                : "it has a call (finish wrap-up with a not-ready reason instead)");
        }

        if (State == AgentState.NotReady && string.Equals(ReasonCode, reasonCode, StringComparison.Ordinal))
        {
            return NoEvents;
        }

        return [Move(now, AgentAction.NotReady, AgentState.NotReady, reasonCode)];
    }

    /// <summary>Available to Reserved for one call; the offer rings out at <paramref name="offerExpiresAt"/>.</summary>
    public IReadOnlyList<AgentEvent> Reserve(string callId, string queueId, DateTimeOffset now, DateTimeOffset? offerExpiresAt = null)
    {
        if (!CanReserve)
        {
            throw Refuse("reserve", "not-available", State == AgentState.Reserved
                ? $"it already has a pending offer for call {CallId}"
                : "it is not available");
        }

        return [Move(now, AgentAction.Reserve, AgentState.Reserved, null, callId, queueId, offerExpiresAt)];
    }

    /// <summary>The offer rang out: the agent goes NotReady(missed-offer) so it stops receiving calls.</summary>
    public IReadOnlyList<AgentEvent> OfferTimeout(string callId, DateTimeOffset now)
    {
        RequireOffer(callId, "time out an offer");
        return [Move(now, AgentAction.OfferTimeout, AgentState.NotReady, AgentReasonCodes.MissedOffer, CallId, QueueId)];
    }

    /// <summary>The agent declined the offer: Available again.</summary>
    public IReadOnlyList<AgentEvent> Reject(string callId, DateTimeOffset now)
    {
        RequireOffer(callId, "reject");
        return [Move(now, AgentAction.Reject, AgentState.Available, null, CallId, QueueId)];
    }

    /// <summary>The caller hung up while the agent's phone rang: Available again, not counted as a miss.</summary>
    public IReadOnlyList<AgentEvent> CancelOffer(string callId, DateTimeOffset now)
    {
        RequireOffer(callId, "cancel an offer");
        return [Move(now, AgentAction.OfferCancelled, AgentState.Available, null, CallId, QueueId)];
    }

    public IReadOnlyList<AgentEvent> Answer(string callId, DateTimeOffset now)
    {
        RequireOffer(callId, "answer");
        return [Move(now, AgentAction.Answer, AgentState.OnCall, null, CallId, QueueId)];
    }

    public IReadOnlyList<AgentEvent> Hold(DateTimeOffset now)
    {
        Require(AgentState.OnCall, "hold", "not-on-call", "it is not on a call");
        if (OnHold)
        {
            throw Refuse("hold", "already-on-hold", $"call {CallId} is already on hold");
        }

        var held = new AgentHoldChanged(AgentId, now, true, CallId!, QueueId, TimeSpan.Zero);
        Apply(held);
        return [held];
    }

    public IReadOnlyList<AgentEvent> Unhold(DateTimeOffset now)
    {
        Require(AgentState.OnCall, "unhold", "not-on-call", "it is not on a call");
        if (!OnHold)
        {
            throw Refuse("unhold", "not-on-hold", $"call {CallId} is not on hold");
        }

        return [EndHold(now)];
    }

    /// <summary>OnCall to WrapUp (a hold in progress ends first); wrap-up is forced to end after <paramref name="maxWrapUp"/>.</summary>
    public IReadOnlyList<AgentEvent> EndCall(string callId, DateTimeOffset now, TimeSpan maxWrapUp)
    {
        Require(AgentState.OnCall, "end a call", "not-on-call", "it is not on a call");
        RequireSameCall(callId, "end call");
        if (maxWrapUp < TimeSpan.Zero)
        {
            throw Refuse("end a call", "negative-wrap-up", $"maximum wrap-up {maxWrapUp} is negative");
        }

        if (OnHold)
        {
            var unheld = EndHold(now);
            return [unheld, Move(now, AgentAction.EndCall, AgentState.WrapUp, null, CallId, QueueId, now + maxWrapUp)];
        }

        return [Move(now, AgentAction.EndCall, AgentState.WrapUp, null, CallId, QueueId, now + maxWrapUp)];
    }

    /// <summary>WrapUp to Available, or to NotReady when <paramref name="notReadyReason"/> is given.</summary>
    public IReadOnlyList<AgentEvent> FinishWrapUp(DateTimeOffset now, string? notReadyReason = null)
    {
        Require(AgentState.WrapUp, "finish wrap-up", "not-in-wrap-up", "it is not in wrap-up");
        return notReadyReason is null
            ? [Move(now, AgentAction.FinishWrapUp, AgentState.Available, null, CallId, QueueId)]
            : [Move(now, AgentAction.FinishWrapUp, AgentState.NotReady, notReadyReason, CallId, QueueId)];
    }

    /// <summary>The queue's maximum wrap-up has passed: the agent is made Available.</summary>
    public IReadOnlyList<AgentEvent> WrapUpTimeout(DateTimeOffset now)
    {
        Require(AgentState.WrapUp, "time out wrap-up", "not-in-wrap-up", "it is not in wrap-up");
        if (WrapUpDeadline is { } deadline && now < deadline)
        {
            throw Refuse("time out wrap-up", "wrap-up-not-expired", $"its wrap-up runs until {deadline:O}");
        }

        return [Move(now, AgentAction.WrapUpTimeout, AgentState.Available, null, CallId, QueueId)];
    }

    /// <summary>
    /// Rebuilds an agent from its journal: <paramref name="events"/> in order, as the operations returned them.
    /// The result is the agent exactly as it was after the last event.
    /// </summary>
    public static AgentStateMachine Rebuild(AgentProfile profile, DateTimeOffset createdAt, IEnumerable<AgentEvent> events)
    {
        var agent = new AgentStateMachine(profile, createdAt);
        foreach (var e in events)
        {
            agent.Apply(e);
        }

        return agent;
    }

    /// <summary>
    /// Applies one journaled event. Every operation builds its events and applies them through here, so
    /// replaying the journal reproduces the state exactly.
    /// </summary>
    private void Apply(AgentEvent e)
    {
        switch (e)
        {
            case AgentStateChanged changed:
                _timeInState[(int)changed.From] += changed.TimeInPreviousState;
                State = changed.To;
                StateSince = changed.At;
                ReasonCode = changed.ReasonCode;
                if (changed.From == AgentState.WrapUp)
                {
                    LastWrappedCallId = changed.CallId;
                }

                var holdsCall = changed.To is AgentState.Reserved or AgentState.OnCall or AgentState.WrapUp;
                CallId = holdsCall ? changed.CallId : null;
                QueueId = holdsCall ? changed.QueueId : null;
                OfferExpiresAt = changed.To == AgentState.Reserved ? changed.Deadline : null;
                WrapUpDeadline = changed.To == AgentState.WrapUp ? changed.Deadline : null;
                if (changed.To == AgentState.Available)
                {
                    AvailableSince = changed.At;
                }

                if (changed.Action == AgentAction.Answer)
                {
                    CallsHandled++;
                }

                break;
            case AgentHoldChanged { OnHold: true } held:
                OnHold = true;
                HoldSince = held.At;
                break;
            case AgentHoldChanged unheld:
                OnHold = false;
                _holdTime += unheld.HoldDuration;
                break;
        }
    }

    private AgentHoldChanged EndHold(DateTimeOffset now)
    {
        var held = now > HoldSince ? now - HoldSince : TimeSpan.Zero;
        var unheld = new AgentHoldChanged(AgentId, now, false, CallId!, QueueId, held);
        Apply(unheld);
        return unheld;
    }

    private AgentStateChanged Move(
        DateTimeOffset now,
        AgentAction action,
        AgentState to,
        string? reason = null,
        string? callId = null,
        string? queueId = null,
        DateTimeOffset? deadline = null)
    {
        // A clock that steps back must not produce negative durations in the record.
        var spent = now > StateSince ? now - StateSince : TimeSpan.Zero;
        var changed = new AgentStateChanged(
            AgentId, now, action, State, to, spent, to == AgentState.NotReady ? reason : null, callId, queueId, deadline);
        Apply(changed);
        return changed;
    }

    private void Require(AgentState expected, string action, string code, string why)
    {
        if (State != expected)
        {
            throw Refuse(action, code, why);
        }
    }

    private void RequireOffer(string callId, string action)
    {
        if (State != AgentState.Reserved)
        {
            throw Refuse(action, "no-pending-offer", "it has no pending offer");
        }

        RequireSameCall(callId, action);
    }

    private void RequireSameCall(string callId, string action)
    {
        if (!string.Equals(CallId, callId, StringComparison.Ordinal))
        {
            throw new AgentStateException("wrong-call", AgentId, State, action,
                $"agent {AgentId} cannot {action} call {callId}: its current call is {CallId} (state {State})");
        }
    }

    private AgentStateException Refuse(string action, string code, string why) =>
        new(code, AgentId, State, action, $"agent {AgentId} cannot {action}: {why} (state {State})");
}
