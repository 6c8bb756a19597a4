using Switchboard.Actors;

namespace Switchboard.Routing.Adapters;

/// <summary>The adapter grain's routing surface: call grains issue instructions through it (not for the gateway).</summary>
internal interface IAdapterOutbox : IGrainWithStringKey
{
    /// <summary>
    /// Persists and publishes an instruction; <paramref name="expires"/>: it expires after the ack timeout. Interleaves:
    /// each instruction's write is queued as it arrives, so instructions of many calls share a commit instead of
    /// waiting for one another's (they are still numbered, made durable and published in the order they arrived).
    /// </summary>
    [AlwaysInterleave]
    Task<AdapterInstruction> IssueAsync(string callId, string externalCallId, InstructionAction action, bool expires);
}

/// <summary>Journal record: an instruction was acknowledged (or expired).</summary>
internal sealed record AdapterAckRecord(string InstructionId, InstructionOutcome Outcome, AckFailure Failure);

/// <summary>
/// Stored state of an adapter outbox: where its journal replay starts (every instruction before it is
/// acknowledged) and the last sequence issued, so replay stays short however long the adapter lives.
/// </summary>
internal sealed class AdapterCheckpoint
{
    public long ReplayFrom { get; set; } = 1;

    public long LastSequence { get; set; }
}
