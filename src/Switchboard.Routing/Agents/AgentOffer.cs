using System.Collections.Immutable;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Agents;

/// <summary>
/// A call offered to an agent (the agent is Reserved): accept or reject it by <see cref="OfferId"/> before
/// <see cref="ExpiresAt"/>, when it rings out. <see cref="IsCallback"/>: a caller who chose to be called back.
/// <see cref="ArrivedAt"/> is the call's original arrival (kept across returns, overflows and transfers).
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.AgentOffer")]
public sealed record AgentOffer(
    string OfferId,
    string CallId,
    string QueueId,
    string CallerNumber,
    CustomerTier Tier,
    DateTimeOffset OfferedAt,
    DateTimeOffset ExpiresAt,
    bool IsCallback,
    bool RepeatCall,
    ImmutableDictionary<string, string> CallData,
    string? Language = null,
    DateTimeOffset ArrivedAt = default,
    string? DialedNumber = null);
