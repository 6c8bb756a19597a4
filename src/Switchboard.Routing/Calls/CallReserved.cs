namespace Switchboard.Routing.Calls;

/// <summary>The queue reserved <paramref name="AgentId"/> for the call: an offer is made to that agent.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallReserved")]
public sealed record CallReserved(string CallId, string QueueId, DateTimeOffset At, string AgentId)
    : CallEvent(CallId, QueueId, At);
