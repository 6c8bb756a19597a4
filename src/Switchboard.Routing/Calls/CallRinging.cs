namespace Switchboard.Routing.Calls;

/// <summary>The agent's phone is ringing with the call.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallRinging")]
public sealed record CallRinging(string CallId, string QueueId, DateTimeOffset At, string AgentId)
    : CallEvent(CallId, QueueId, At);
