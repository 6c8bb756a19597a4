namespace Switchboard.Routing.Calls;

/// <summary>The agent put the call on hold or took it off.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallHoldChanged")]
public sealed record CallHoldChanged(string CallId, string QueueId, DateTimeOffset At, string AgentId, bool OnHold)
    : CallEvent(CallId, QueueId, At);
