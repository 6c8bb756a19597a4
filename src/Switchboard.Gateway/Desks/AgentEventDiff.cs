using Switchboard.Contracts.V1;
using Switchboard.Gateway.Mapping;
using Switchboard.Routing.Agents;
using AgentEvent = Switchboard.Contracts.V1.AgentEvent;
using RoutingAgentState = Switchboard.Routing.Agents.AgentState;
using RoutingAgentStatus = Switchboard.Routing.Agents.AgentStatus;

namespace Switchboard.Gateway.Desks;

/// <summary>
/// Turns two successive agent statuses (the <c>agent/{id}</c> topic carries the latest whole status) into the
/// desk's events: the status, an offer that appeared, an offer that went away unanswered, the current call.
/// </summary>
internal static class AgentEventDiff
{
    public static AgentSnapshot Snapshot(RoutingAgentStatus status) => new()
    {
        Status = ContractMapping.Status(status),
        Offer = status.State == RoutingAgentState.Reserved && status.Offer is { } offer ? ContractMapping.Offer(offer) : null,
        Call = CallOf(status),
    };

    public static IEnumerable<AgentEvent> Changes(RoutingAgentStatus previous, RoutingAgentStatus next)
    {
        if (StatusChanged(previous, next))
        {
            yield return new AgentEvent { Status = ContractMapping.Status(next) };
        }
        if (previous.Offer is { } gone && next.Offer?.OfferId != gone.OfferId
            && !(next.State is RoutingAgentState.OnCall && next.CallId == gone.CallId))
        {
            yield return new AgentEvent { OfferWithdrawn = new OfferWithdrawn { OfferId = gone.OfferId, Reason = WithdrawnReason(next) } };
        }
        if (next.Offer is { } offer && previous.Offer?.OfferId != offer.OfferId)
        {
            yield return new AgentEvent { Offer = ContractMapping.Offer(offer) };
        }
        if (next.State is RoutingAgentState.OnCall or RoutingAgentState.WrapUp
            && (previous.State != next.State || previous.CallId != next.CallId || previous.OnHold != next.OnHold))
        {
            yield return new AgentEvent { CallUpdate = CallOf(next) };
        }
    }

    private static bool StatusChanged(RoutingAgentStatus a, RoutingAgentStatus b) =>
        a.State != b.State || a.ReasonCode != b.ReasonCode || a.CallId != b.CallId || a.OnHold != b.OnHold
        || a.PendingReasonCode != b.PendingReasonCode || a.Station != b.Station || a.StateSince != b.StateSince;

    private static OfferWithdrawnReason WithdrawnReason(RoutingAgentStatus next) => next switch
    {
        { State: RoutingAgentState.NotReady, ReasonCode: AgentReasonCodes.MissedOffer } => OfferWithdrawnReason.RingTimeout,
        { State: RoutingAgentState.NotReady, ReasonCode: AgentReasonCodes.Disconnected } => OfferWithdrawnReason.AgentUnavailable,
        _ => OfferWithdrawnReason.Unspecified,
    };

    private static CallUpdate? CallOf(RoutingAgentStatus status)
    {
        if (status.State is not (RoutingAgentState.OnCall or RoutingAgentState.WrapUp) || status.CallId is null)
        {
            return null;
        }
        var update = new CallUpdate
        {
            CallId = status.CallId,
            State = status.State == RoutingAgentState.OnCall ? CallState.Answered : CallState.Completed,
            QueueId = status.QueueId ?? "",
            OnHold = status.State == RoutingAgentState.OnCall && status.OnHold,
        };
        if (status.State == RoutingAgentState.OnCall)
        {
            update.AnsweredAt = ContractMapping.Time(status.StateSince);
        }
        else
        {
            update.EndedAt = ContractMapping.Time(status.StateSince);
            update.WrapUpDeadline = ContractMapping.Time(status.WrapUpDeadline);
        }
        return update;
    }
}
