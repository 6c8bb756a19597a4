namespace Switchboard.Routing.Calls;

/// <summary>The offer rang out; the call goes back to the head of its queue.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallNoAnswer")]
public sealed record CallNoAnswer(string CallId, string QueueId, DateTimeOffset At, string AgentId)
    : CallEvent(CallId, QueueId, At);
