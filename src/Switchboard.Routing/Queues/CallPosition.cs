namespace Switchboard.Routing.Queues;

/// <summary>A waiting call's place (1 = next) and estimated wait from now (null when nobody who could take it is staffed).</summary>
public sealed record CallPosition(string CallId, string QueueId, int Position, TimeSpan? EstimatedWait, DateTimeOffset EnqueuedAt, bool IsCallback);
