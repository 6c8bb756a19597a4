namespace Switchboard.Routing.Agents;

/// <summary>An agent put its call on hold or took it off; <paramref name="HoldDuration"/> is set when the hold ends.</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentHoldChanged")]
public sealed record AgentHoldChanged(
    string AgentId,
    DateTimeOffset At,
    bool OnHold,
    string CallId,
    string? QueueId,
    TimeSpan HoldDuration) : AgentEvent(AgentId, At);
