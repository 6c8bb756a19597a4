namespace Switchboard.Routing.Agents;

/// <summary>
/// An agent moved from <paramref name="From"/> to <paramref name="To"/> at <c>At</c>, after spending
/// <paramref name="TimeInPreviousState"/> in <paramref name="From"/> (so the previous state began at
/// <c>At - TimeInPreviousState</c>: figures split it over intervals without replaying history).
/// <paramref name="CallId"/>/<paramref name="QueueId"/> name the call the change concerns, if any;
/// <paramref name="ReasonCode"/> is set when <paramref name="To"/> is NotReady.
/// </summary>
public sealed record AgentStateChanged(
    string AgentId,
    DateTimeOffset At,
    AgentAction Action,
    AgentState From,
    AgentState To,
    TimeSpan TimeInPreviousState,
    string? ReasonCode = null,
    string? CallId = null,
    string? QueueId = null) : AgentEvent(AgentId, At);
