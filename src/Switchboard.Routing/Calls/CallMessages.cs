using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Calls;

/// <summary>The call grain's routing surface: what queue, agent and adapter grains tell it (not for the gateway).</summary>
internal interface ICallRouting : IGrainWithStringKey
{
    /// <summary>An agent was reserved for the call.</summary>
    Task ReservedAsync(ReservationNotice notice);

    /// <summary>The offer failed at the agent: rejected, rang out, or withdrawn (desk gone). <paramref name="queueId"/> offered it.</summary>
    Task OfferFailedAsync(string agentId, string offerId, string queueId, OfferFailure failure);

    /// <summary>The queue's watchdog found the call at its maximum wait and applied the queue's action to its line.</summary>
    Task MaxWaitReachedAsync(string queueId);

    /// <summary>The agent on the call moves it to a queue or another agent.</summary>
    Task<CallSnapshot> TransferAsync(string agentId, TransferTarget target);

    /// <summary>The agent pressed Hold or Resume on the desk.</summary>
    Task HoldFromDeskAsync(string agentId, bool hold);

    /// <summary>The agent accepted the offer on the desk.</summary>
    Task AcceptedOnDeskAsync(string agentId, string offerId);

    /// <summary>An instruction failed or expired at the adapter.</summary>
    Task InstructionFailedAsync(AdapterInstruction instruction, AckFailure failure);

    /// <summary>The adapter restarted and lost its calls: the call ends.</summary>
    Task CallLostAsync();

    /// <summary>Time to tell the waiting caller their place and estimated wait again (PLAY_POSITION).</summary>
    Task AnnouncePositionAsync(int position, TimeSpan? estimatedWait);

    /// <summary>The agent finishing its wrap-up gave the call's outcome and notes: journaled on the call.</summary>
    Task RecordDispositionAsync(string agentId, string? dispositionCode, string? notes);
}

/// <summary>An agent reserved for a call: the offer, when it rings out, where and how to reach the agent.</summary>
[GenerateSerializer, Immutable, Alias("sb.ReservationNotice")]
internal sealed record ReservationNotice(string AgentId, string OfferId, DateTimeOffset ExpiresAt, string Station, OfferMode Mode, string QueueId);

/// <summary>Why an offer failed at the agent.</summary>
internal enum OfferFailure
{
    Rejected,
    NoAnswer,
    Withdrawn,
}

/// <summary>Journal record: who offered the call and what the desk shows of it.</summary>
internal sealed record CallMetaRecord(CallOffer Offer, bool RepeatCall, string? PreferredAgentId);

/// <summary>Journal record: the current offer (agent, offer id, where it rings).</summary>
internal sealed record CallOfferRecord(ReservationNotice? Notice);

/// <summary>Journal record: the outcome the agent gave the call when finishing its wrap-up.</summary>
internal sealed record CallDispositionRecord(string AgentId, string? DispositionCode, string? Notes);

/// <summary>Journal record: an adapter event id already applied.</summary>
internal sealed record CallReportRecord(string EventId);
