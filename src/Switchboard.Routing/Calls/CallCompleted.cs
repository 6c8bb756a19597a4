namespace Switchboard.Routing.Calls;

/// <summary>
/// The conversation ended. <paramref name="TalkTime"/> excludes <paramref name="HoldTime"/>; wrap-up is the
/// agent's and is recorded by its own events.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallCompleted")]
public sealed record CallCompleted(string CallId, string QueueId, DateTimeOffset At, string AgentId, TimeSpan TalkTime, TimeSpan HoldTime)
    : CallEvent(CallId, QueueId, At);
