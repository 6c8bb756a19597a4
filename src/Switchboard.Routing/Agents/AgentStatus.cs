using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Agents;

/// <summary>
/// An agent as it is now: published on <c>agent/{id}</c>, <c>team/{team}</c>, <c>vendor/{vendor}</c> and
/// <c>center</c> under key <c>agent/{id}</c>, and returned by every agent operation.
/// <see cref="Offer"/> is set while Reserved; <see cref="CallId"/> while Reserved, OnCall or in WrapUp;
/// <see cref="PendingReasonCode"/> is a not-ready asked for while busy, applied when wrap-up ends.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.AgentStatus")]
public sealed record AgentStatus(
    DateTimeOffset At,
    long Version,
    string AgentId,
    string TeamId,
    string VendorId,
    AgentState State,
    DateTimeOffset StateSince,
    string? ReasonCode,
    string? CallId,
    string? QueueId,
    AgentOffer? Offer,
    bool OnHold,
    DateTimeOffset? WrapUpDeadline,
    string? PendingReasonCode,
    string? Station,
    OfferMode OfferMode,
    bool DeskConnected) : StatusUpdate(At, Version);
