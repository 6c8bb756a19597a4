namespace Switchboard.Routing.Calls;

/// <summary>The caller left the line and will be called back, keeping its place in the queue.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallbackScheduled")]
public sealed record CallbackScheduled(string CallId, string QueueId, DateTimeOffset At, string CallbackNumber)
    : CallEvent(CallId, QueueId, At);
