namespace Switchboard.Routing.Queues;

/// <summary>
/// A waiting call's priority rises by <paramref name="Step"/> every <paramref name="Every"/>, by at most
/// <paramref name="MaxBoost"/> in all.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.PriorityAging")]
public sealed record PriorityAging(TimeSpan Every, int MaxBoost, int Step = 1);
