namespace Switchboard.Routing.Queues;

/// <summary>A waiting call's priority rises by one every <paramref name="Every"/>, by at most <paramref name="MaxBoost"/>.</summary>
public sealed record PriorityAging(TimeSpan Every, int MaxBoost);
