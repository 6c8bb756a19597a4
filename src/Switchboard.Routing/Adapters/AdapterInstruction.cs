namespace Switchboard.Routing.Adapters;

/// <summary>
/// One instruction to a telephony adapter about one call. <see cref="InstructionId"/> is unique and stays the
/// same on every re-send; <see cref="Sequence"/> increases per adapter in issue order. After
/// <see cref="ExpiresAt"/> (RING_AGENT, BRIDGE, PLACE_CALLBACK only) it must not be carried out.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.AdapterInstruction")]
public sealed record AdapterInstruction(
    string InstructionId,
    long Sequence,
    string AdapterId,
    string CallId,
    string ExternalCallId,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    InstructionAction Action);
