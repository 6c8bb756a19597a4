using System.Collections.Immutable;

namespace Switchboard.Routing.Calls;

/// <summary>
/// A telephony adapter offers a call to a queue (OfferCall). <paramref name="ArrivedAt"/> is when the call
/// reached the switch (null: now); waiting is counted from it. <paramref name="Skills"/> and
/// <paramref name="Language"/> are matched against agents' skills; <paramref name="CallData"/> is passed
/// unchanged to the agent's offer for a screen pop, as is <paramref name="DialedNumber"/> (DNIS).
/// <paramref name="CustomerId"/> (the CRM's) recognises a repeat caller beside the caller number;
/// <paramref name="PreferredAgentId"/> is offered the call first, for the queue's repeat-caller wait.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallOffer")]
public sealed record CallOffer(
    string AdapterId,
    string ExternalCallId,
    string CallerNumber,
    string QueueId,
    CustomerTier Tier = CustomerTier.Standard,
    ImmutableArray<SkillRequirement> Skills = default,
    string? Language = null,
    int Priority = 0,
    DateTimeOffset? ArrivedAt = null,
    ImmutableDictionary<string, string>? CallData = null,
    string? DialedNumber = null,
    string? CustomerId = null,
    string? PreferredAgentId = null);
