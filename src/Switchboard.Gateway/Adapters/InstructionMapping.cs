using Switchboard.Gateway.Mapping;
using Switchboard.Routing.Adapters;
using V1 = Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Adapters;

/// <summary>Routing's adapter instructions as the API's <see cref="V1.Instruction"/> messages, and acks back.</summary>
internal static class InstructionMapping
{
    public static V1.Instruction ToContract(AdapterInstruction instruction)
    {
        var result = new V1.Instruction
        {
            InstructionId = instruction.InstructionId,
            Sequence = (ulong)instruction.Sequence,
            CallId = instruction.CallId,
            ExternalCallId = instruction.ExternalCallId,
            IssuedAt = ContractMapping.Time(instruction.IssuedAt),
            ExpiresAt = ContractMapping.Time(instruction.ExpiresAt),
        };
        switch (instruction.Action)
        {
            case RingAgent ring:
                result.RingAgent = new V1.RingAgent
                {
                    AgentId = ring.AgentId,
                    Endpoint = ring.Endpoint,
                    RingTimeout = ContractMapping.Span(ring.RingTimeout),
                    OfferId = ring.OfferId,
                    CallerDisplay = ring.CallerDisplay,
                };
                break;
            case BridgeToAgent bridge:
                result.Bridge = new V1.BridgeToAgent { AgentId = bridge.AgentId, Endpoint = bridge.Endpoint, OfferId = bridge.OfferId };
                break;
            case CancelRing cancel:
                result.CancelRing = new V1.CancelRing
                {
                    AgentId = cancel.AgentId,
                    Reason = cancel.Reason switch
                    {
                        CancelRingReason.Rejected => V1.CancelRingReason.Rejected,
                        CancelRingReason.RingTimeout => V1.CancelRingReason.RingTimeout,
                        CancelRingReason.AgentUnavailable => V1.CancelRingReason.AgentUnavailable,
                        // The API has no caller-hung-up reason yet: unspecified, the adapter knows its caller left.
                        _ => V1.CancelRingReason.Unspecified,
                    },
                };
                break;
            case PlayPosition play:
                result.PlayPosition = new V1.PlayPosition { QueuePosition = play.QueuePosition, EstimatedWait = ContractMapping.Span(play.EstimatedWait) };
                break;
            case OverflowCall overflow:
                result.Overflow = new V1.Overflow { Cause = overflow.ByRelaxation ? V1.OverflowCause.Relaxation : V1.OverflowCause.MaxWait };
                if (overflow.ToNumber is { } number)
                {
                    result.Overflow.Number = number;
                }
                else
                {
                    result.Overflow.QueueId = overflow.ToQueueId;
                }
                break;
            case SendToVoicemail voicemail:
                result.Voicemail = new V1.Voicemail { Mailbox = voicemail.Mailbox ?? "" };
                break;
            case OfferCallback offer:
                result.OfferCallback = new V1.OfferCallback { QueuePosition = offer.QueuePosition, EstimatedWait = ContractMapping.Span(offer.EstimatedWait) };
                break;
            case PlaceCallback place:
                result.PlaceCallback = new V1.PlaceCallback
                {
                    AgentId = place.AgentId,
                    Endpoint = place.Endpoint,
                    CallbackNumber = place.CallbackNumber,
                    RingTimeout = ContractMapping.Span(place.RingTimeout),
                    OfferId = place.OfferId,
                };
                break;
            case RequeueCall requeue:
                result.Requeue = new V1.Requeue { AgentId = requeue.AgentId, QueueId = requeue.QueueId };
                break;
            case HoldCaller hold:
                result.Hold = new V1.HoldCaller { AgentId = hold.AgentId };
                break;
            case ResumeCaller resume:
                result.Resume = new V1.ResumeCaller { AgentId = resume.AgentId };
                break;
        }
        return result;
    }

    public static InstructionOutcome Outcome(V1.AckOutcome outcome) =>
        outcome == V1.AckOutcome.Failed ? InstructionOutcome.Failed : InstructionOutcome.Done;

    /// <summary>The failure routing acts on; <paramref name="action"/> is the acknowledged instruction's, when known.</summary>
    public static AckFailure Failure(V1.AckFailure failure, InstructionAction? action) => failure switch
    {
        V1.AckFailure.EndpointUnreachable => AckFailure.EndpointUnreachable,
        V1.AckFailure.CallGone => AckFailure.CallGone,
        V1.AckFailure.Expired => AckFailure.Expired,
        V1.AckFailure.Unsupported => AckFailure.Unsupported,
        // INTERNAL: "for RING_AGENT handled like ENDPOINT_UNREACHABLE" (telephony_adapter.proto); the
        // routing outbox applies that rule to ring instructions only.
        V1.AckFailure.Internal when action is RingAgent or BridgeToAgent or PlaceCallback => AckFailure.EndpointUnreachable,
        _ => AckFailure.None,
    };
}
