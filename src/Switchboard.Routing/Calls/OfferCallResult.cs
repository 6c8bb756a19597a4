namespace Switchboard.Routing.Calls;

/// <summary>
/// The answer to an offer: the call's state (Queued, or Reserved when an agent was free at once),
/// its place in line (1 = next; 0 when not waiting) and estimated wait (null when nobody who could take it
/// is logged in). <see cref="Duplicate"/>: an identical earlier offer created the call; <see cref="RepeatCall"/>:
/// the caller called within the previous 24 h.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.OfferCallResult")]
public sealed record OfferCallResult(
    string CallId,
    CallState State,
    int QueuePosition,
    TimeSpan? EstimatedWait,
    bool Duplicate,
    bool RepeatCall,
    string? AgentId);
