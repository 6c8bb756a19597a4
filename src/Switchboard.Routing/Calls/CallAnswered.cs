namespace Switchboard.Routing.Calls;

/// <summary>The agent answered; <paramref name="QueueWait"/> runs from the original enqueue time to the answer (ASA, service level).</summary>
[GenerateSerializer, Immutable, Alias("sb.CallAnswered")]
public sealed record CallAnswered(string CallId, string QueueId, DateTimeOffset At, string AgentId, TimeSpan QueueWait)
    : CallEvent(CallId, QueueId, At);
