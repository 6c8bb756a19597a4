namespace Switchboard.Routing.Calls;

/// <summary>
/// The call is waiting in <c>QueueId</c>. <paramref name="EnqueuedAt"/> is the original enqueue time;
/// <paramref name="Requeued"/> is true when it came back after a reject, a no-answer or an overflow.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallQueued")]
public sealed record CallQueued(string CallId, string QueueId, DateTimeOffset At, DateTimeOffset EnqueuedAt, bool Requeued)
    : CallEvent(CallId, QueueId, At);
