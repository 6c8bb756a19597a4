using Orleans.Concurrency;

namespace Switchboard.Routing.Adapters;

/// <summary>The adapter grain's routing surface: call grains issue instructions through it (not for the gateway).</summary>
internal interface IAdapterOutbox : IGrainWithStringKey
{
    /// <summary>
    /// Persists and publishes an instruction; <paramref name="expires"/>: it expires after the ack timeout. Interleaves:
    /// each instruction's write is queued as it arrives, so instructions of many calls share a commit instead of
    /// waiting for one another's. Instructions are numbered and published in the order they arrived; one is published
    /// as soon as its number is covered by a durable reservation (ADR 006), before its own record is durable, and the
    /// task completes once that record is. A caller sends an instruction only after its own transition is durable.
    /// </summary>
    [AlwaysInterleave]
    Task<AdapterInstruction> IssueAsync(string callId, string externalCallId, InstructionAction action, bool expires);
}

/// <summary>Journal record: an instruction was acknowledged (or expired).</summary>
internal sealed record AdapterAckRecord(string InstructionId, InstructionOutcome Outcome, AckFailure Failure);

/// <summary>Journal record: instruction numbers up to <paramref name="UpTo"/> are reserved; none is given out twice.</summary>
internal sealed record AdapterNumbersRecord(long UpTo);

/// <summary>
/// Stored state of an adapter outbox: where its journal replay starts (every instruction before it is
/// acknowledged) and the last sequence given out or reserved, so replay stays short however long the adapter lives.
/// </summary>
[GenerateSerializer, Alias("sb.AdapterCheckpoint")]
internal sealed class AdapterCheckpoint
{
    [Id(0)]
    public long ReplayFrom { get; set; } = 1;

    [Id(1)]
    public long LastSequence { get; set; }
}
