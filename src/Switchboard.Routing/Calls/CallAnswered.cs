namespace Switchboard.Routing.Calls;

/// <summary>The agent answered; <paramref name="QueueWait"/> runs from the original enqueue time to the answer (ASA, service level).</summary>
public sealed record CallAnswered(string CallId, string QueueId, DateTimeOffset At, string AgentId, TimeSpan QueueWait)
    : CallEvent(CallId, QueueId, At);
