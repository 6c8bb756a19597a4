using System.Collections.Immutable;
using Orleans.Concurrency;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Agents;

/// <summary>The agent grain's routing surface: what queue and call grains ask of it (not for the gateway).</summary>
internal interface IAgentRouting : IGrainWithStringKey
{
    /// <summary>Reserves the agent for a call if it is Available now; interleaves so a queue never waits on a busy agent turn.</summary>
    [AlwaysInterleave]
    Task<ReservationReply> TryReserveAsync(OfferRequest offer);

    /// <summary>
    /// The call never recorded the offer that rang out here (a crash came between this reservation and the call's
    /// record of it), so nothing rang: an agent left NotReady(missed-offer) by it is Available again.
    /// </summary>
    Task OfferNeverRangAsync(string offerId);

    /// <summary>The adapter reported the call answered: Reserved to OnCall.</summary>
    Task CallAnsweredAsync(string callId);

    /// <summary>The conversation ended: OnCall to WrapUp, bounded by the queue's maximum wrap-up.</summary>
    Task CallEndedAsync(string callId);

    /// <summary>The offer is withdrawn: the caller hung up or the adapter did not take it (Available), or it rang out at the switch (NotReady missed-offer).</summary>
    Task OfferWithdrawnAsync(string callId, bool missed);

    /// <summary>The call was put on or taken off hold.</summary>
    Task CallHoldChangedAsync(string callId, bool onHold);

    /// <summary>Asks the agent's queues for their best waiting call and takes the one arbitration picks.</summary>
    Task FindWorkAsync();

    /// <summary>Activates the agent if need be and tells <paramref name="queueId"/> its state (a queue that just activated asks).</summary>
    Task ReportPresenceAsync(string queueId);

    /// <summary>The agent's profile changed in the center configuration.</summary>
    Task ProfileChangedAsync();
}

/// <summary>What a queue offers an agent: the call and what the desk shows of it.</summary>
[GenerateSerializer, Immutable, Alias("sb.OfferRequest")]
internal sealed record OfferRequest(
    string CallId,
    string QueueId,
    string CallerNumber,
    CustomerTier Tier,
    bool IsCallback,
    bool RepeatCall,
    ImmutableDictionary<string, string> CallData,
    string? Language = null,
    DateTimeOffset ArrivedAt = default,
    string? DialedNumber = null);

/// <summary>The agent's answer to a reservation: reserved (with the offer and where to ring) or refused.</summary>
[GenerateSerializer, Immutable, Alias("sb.ReservationReply")]
internal sealed record ReservationReply(bool Reserved, string? OfferId, DateTimeOffset ExpiresAt, string Station, OfferMode Mode)
{
    public static ReservationReply Refused { get; } = new(false, null, default, "", OfferMode.RingEndpoint);
}

/// <summary>An agent's state as its queues see it; <see cref="Candidate"/> is set while it can take an offer.</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentPresence")]
internal sealed record AgentPresence(string AgentId, long Version, AgentState State, AgentCandidate? Candidate);

/// <summary>Journal record: where the agent is logged in and whether its desk is connected.</summary>
internal sealed record AgentSessionRecord(string? Station, OfferMode Mode, bool DeskConnected);

/// <summary>Journal record: the not-ready reason to apply after wrap-up (null: none).</summary>
internal sealed record AgentPendingRecord(string? ReasonCode);

/// <summary>
/// Stored state of an agent: where its journal replay starts. Everything before the last logout is history
/// (figures read it from the journal); the agent itself starts again from the logout.
/// </summary>
[GenerateSerializer, Alias("sb.AgentCheckpoint")]
internal sealed class AgentCheckpoint
{
    [Id(0)]
    public long ReplayFrom { get; set; } = 1;

    [Id(1)]
    public DateTimeOffset? Since { get; set; }
}
