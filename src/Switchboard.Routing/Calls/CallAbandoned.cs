namespace Switchboard.Routing.Calls;

/// <summary>
/// The caller hung up before an answer. <paramref name="Wait"/> runs from the original enqueue time;
/// <paramref name="AgentId"/> is set when an agent's phone was ringing.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallAbandoned")]
public sealed record CallAbandoned(string CallId, string QueueId, DateTimeOffset At, TimeSpan Wait, string? AgentId)
    : CallEvent(CallId, QueueId, At);
