using Switchboard.Actors;

namespace Switchboard.Routing.Adapters;

/// <summary>The adapter grain's routing surface: call grains issue instructions through it (not for the gateway).</summary>
internal interface IAdapterOutbox : IGrainWithStringKey
{
    /// <summary>Persists and publishes an instruction; <paramref name="expires"/>: it expires after the ack timeout.</summary>
    Task<AdapterInstruction> IssueAsync(string callId, string externalCallId, InstructionAction action, bool expires);
}

/// <summary>Journal record: an instruction was acknowledged (or expired).</summary>
internal sealed record AdapterAckRecord(string InstructionId, InstructionOutcome Outcome, AckFailure Failure);
