namespace Switchboard.Routing.Queues;

/// <summary>A waiting call's place (1 = next) and estimated wait from now (null when nobody who could take it is staffed).</summary>
[GenerateSerializer, Immutable, Alias("sb.CallPosition")]
public sealed record CallPosition(string CallId, string QueueId, int Position, TimeSpan? EstimatedWait, DateTimeOffset EnqueuedAt, bool IsCallback);
