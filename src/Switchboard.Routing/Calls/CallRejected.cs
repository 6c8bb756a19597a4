namespace Switchboard.Routing.Calls;

/// <summary>The agent declined the offer; the call goes back to the head of its queue.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallRejected")]
public sealed record CallRejected(string CallId, string QueueId, DateTimeOffset At, string AgentId)
    : CallEvent(CallId, QueueId, At);
