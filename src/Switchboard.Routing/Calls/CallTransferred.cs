namespace Switchboard.Routing.Calls;

/// <summary>
/// The agent moved the call to another queue or agent; this leg ends here (it counts as handled by the
/// transferring agent) and the target starts a new one.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallTransferred")]
public sealed record CallTransferred(
    string CallId,
    string QueueId,
    DateTimeOffset At,
    string AgentId,
    string? ToQueueId,
    string? ToAgentId,
    TimeSpan TalkTime,
    TimeSpan HoldTime) : CallEvent(CallId, QueueId, At);
