namespace Switchboard.Routing.Adapters;

/// <summary>
/// OVERFLOW: the call left its queue for <paramref name="ToQueueId"/> and keeps waiting under the same call id
/// (informational); or, with <paramref name="ToNumber"/>, the adapter transfers the caller to that external number
/// and the call is finished here.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.OverflowCall")]
public sealed record OverflowCall(string ToQueueId, bool ByRelaxation, string? ToNumber = null) : InstructionAction;
