namespace Switchboard.Routing.Calls;

/// <summary>
/// A call as it is now (GetCall, and the answer of every call operation). <see cref="QueueId"/> is the queue
/// it waits or waited in; <see cref="EnqueuedAt"/> its original arrival, kept across returns, overflows and
/// transfers; <see cref="OfferId"/> names the current offer while an agent is reserved or ringing.
/// </summary>
public sealed record CallSnapshot(
    string CallId,
    string AdapterId,
    string ExternalCallId,
    string CallerNumber,
    string QueueId,
    CallState State,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset StateSince,
    string? AgentId,
    string? OfferId,
    bool OnHold,
    bool IsCallback,
    bool Duplicate = false);
