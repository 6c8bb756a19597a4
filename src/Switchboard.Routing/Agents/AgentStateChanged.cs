namespace Switchboard.Routing.Agents;

/// <summary>
/// An agent moved from <paramref name="From"/> to <paramref name="To"/> at <c>At</c>, after spending
/// <paramref name="TimeInPreviousState"/> in <paramref name="From"/> (so the previous state began at
/// <c>At - TimeInPreviousState</c>: figures split it over intervals without replaying history).
/// <paramref name="CallId"/>/<paramref name="QueueId"/> name the call the change concerns, if any;
/// <paramref name="ReasonCode"/> is set when <paramref name="To"/> is NotReady. <paramref name="Deadline"/> is when
/// the offer rings out (To = Reserved) or wrap-up is forced to end (To = WrapUp), so a grain rebuilt from
/// the journal re-arms its timer.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.AgentStateChanged")]
public sealed record AgentStateChanged(
    string AgentId,
    DateTimeOffset At,
    AgentAction Action,
    AgentState From,
    AgentState To,
    TimeSpan TimeInPreviousState,
    string? ReasonCode = null,
    string? CallId = null,
    string? QueueId = null,
    DateTimeOffset? Deadline = null) : AgentEvent(AgentId, At);
