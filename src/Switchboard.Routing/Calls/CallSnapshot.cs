namespace Switchboard.Routing.Calls;

/// <summary>
/// A call as it is now (GetCall, and the answer of every call operation). <see cref="QueueId"/> is the queue
/// it waits or waited in; <see cref="EnqueuedAt"/> its original arrival, kept across returns, overflows and
/// transfers; <see cref="OfferId"/> names the current offer while an agent is reserved or ringing.
/// <see cref="DispositionCode"/> and <see cref="Notes"/> are what the agent gave when finishing its wrap-up;
/// <see cref="CustomerId"/> is the CRM's id of the caller, when the adapter gave one.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallSnapshot")]
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
    bool Duplicate = false,
    string? CustomerId = null,
    string? DispositionCode = null,
    string? Notes = null);
