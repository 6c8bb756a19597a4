namespace Switchboard.Routing.Calls;

/// <summary>The call left <c>QueueId</c> for <paramref name="ToQueueId"/>, keeping its original enqueue time.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallOverflowed")]
public sealed record CallOverflowed(string CallId, string QueueId, DateTimeOffset At, string ToQueueId, TimeSpan Wait, string? ToNumber = null)
    : CallEvent(CallId, QueueId, At);
