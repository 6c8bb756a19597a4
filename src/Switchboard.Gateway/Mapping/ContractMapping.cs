using Google.Protobuf.WellKnownTypes;
using Switchboard.Routing.Agents;
using V1 = Switchboard.Contracts.V1;
using RoutingCallState = Switchboard.Routing.Calls.CallState;
using RoutingTier = Switchboard.Routing.Calls.CustomerTier;

namespace Switchboard.Gateway.Mapping;

/// <summary>
/// Routing's values to and from the public API's messages. The reason code routing sets after login
/// (<c>logged-in</c>) is the API's <c>login</c>.
/// </summary>
internal static class ContractMapping
{
    /// <summary>The API's name of the login reason code.</summary>
    public const string LoginReason = "login";

    public static Timestamp Time(DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static Timestamp? Time(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    public static Duration? Span(TimeSpan? value) => value is { } v ? Duration.FromTimeSpan(v) : null;

    public static V1.AgentState State(AgentState state) => state switch
    {
        AgentState.LoggedOut => V1.AgentState.LoggedOut,
        AgentState.NotReady => V1.AgentState.NotReady,
        AgentState.Available => V1.AgentState.Available,
        AgentState.Reserved => V1.AgentState.Reserved,
        AgentState.OnCall => V1.AgentState.OnCall,
        AgentState.WrapUp => V1.AgentState.WrapUp,
        _ => V1.AgentState.Unspecified,
    };

    public static string ReasonToApi(string? reason) => reason switch
    {
        null => "",
        AgentReasonCodes.LoggedIn => LoginReason,
        _ => reason,
    };

    public static string ReasonFromApi(string reason) => reason == LoginReason ? AgentReasonCodes.LoggedIn : reason;

    public static V1.AgentStatus Status(AgentStatus status) => new()
    {
        AgentId = status.AgentId,
        State = State(status.State),
        ReasonCode = status.State == AgentState.NotReady ? ReasonToApi(status.ReasonCode) : "",
        Since = Time(status.StateSince),
        CallId = status.State is AgentState.Reserved or AgentState.OnCall or AgentState.WrapUp ? status.CallId ?? "" : "",
        OnHold = status.State == AgentState.OnCall && status.OnHold,
        Station = status.State == AgentState.LoggedOut ? "" : status.Station ?? "",
        PendingReasonCode = ReasonToApi(status.PendingReasonCode),
    };

    public static V1.CallState State(RoutingCallState state) => state switch
    {
        RoutingCallState.Offered => V1.CallState.Offered,
        RoutingCallState.Queued => V1.CallState.Queued,
        // Passed-through states: the call is back in a queue at once (Routing's CallState comment).
        RoutingCallState.Rejected or RoutingCallState.NoAnswer => V1.CallState.Queued,
        RoutingCallState.Reserved => V1.CallState.Reserved,
        RoutingCallState.Ringing => V1.CallState.Ringing,
        RoutingCallState.Answered => V1.CallState.Answered,
        RoutingCallState.Completed => V1.CallState.Completed,
        RoutingCallState.Abandoned => V1.CallState.Abandoned,
        RoutingCallState.Overflowed => V1.CallState.Overflowed,
        RoutingCallState.TimedOut => V1.CallState.TimedOut,
        RoutingCallState.CallbackScheduled => V1.CallState.CallbackScheduled,
        RoutingCallState.Transferred => V1.CallState.Transferred,
        _ => V1.CallState.Unspecified,
    };

    public static RoutingTier Tier(V1.CustomerTier tier) => tier switch
    {
        V1.CustomerTier.Vip => RoutingTier.Vip,
        V1.CustomerTier.HighValue => RoutingTier.HighValue,
        V1.CustomerTier.AtRisk => RoutingTier.AtRisk,
        _ => RoutingTier.Standard,
    };

    public static V1.CustomerTier Tier(RoutingTier tier) => tier switch
    {
        RoutingTier.Vip => V1.CustomerTier.Vip,
        RoutingTier.HighValue => V1.CustomerTier.HighValue,
        RoutingTier.AtRisk => V1.CustomerTier.AtRisk,
        _ => V1.CustomerTier.Standard,
    };

    public static V1.Offer Offer(AgentOffer offer)
    {
        var result = new V1.Offer
        {
            OfferId = offer.OfferId,
            CallId = offer.CallId,
            QueueId = offer.QueueId,
            CallerNumber = offer.CallerNumber,
            CustomerTier = Tier(offer.Tier),
            RepeatCall = offer.RepeatCall,
            Language = offer.Language ?? "",
            DialedNumber = offer.DialedNumber ?? "",
            ArrivedAt = Time(offer.ArrivedAt == default ? offer.OfferedAt : offer.ArrivedAt),
            ExpiresAt = Time(offer.ExpiresAt),
            Callback = offer.IsCallback,
        };
        if (offer.CallData is { } data)
        {
            result.CallData.Add(data);
        }
        return result;
    }
}
