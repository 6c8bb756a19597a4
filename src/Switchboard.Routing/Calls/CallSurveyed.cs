namespace Switchboard.Routing.Calls;

/// <summary>The adapter reported the caller's post-call survey score (1-5).</summary>
[GenerateSerializer, Immutable, Alias("sb.CallSurveyed")]
public sealed record CallSurveyed(string CallId, string QueueId, DateTimeOffset At, string? AgentId, int Score)
    : CallEvent(CallId, QueueId, At);
