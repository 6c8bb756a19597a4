namespace Switchboard.Routing.Adapters;

/// <summary>OVERFLOW: the call left its queue for <paramref name="ToQueueId"/> and keeps waiting under the same call id (informational).</summary>
public sealed record OverflowCall(string ToQueueId, bool ByRelaxation) : InstructionAction;
