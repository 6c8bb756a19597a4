namespace Switchboard.Routing.Adapters;

/// <summary>CANCEL_RING: stop ringing the agent's leg if it still rings.</summary>
[GenerateSerializer, Immutable, Alias("sb.CancelRing")]
public sealed record CancelRing(string AgentId, CancelRingReason Reason) : InstructionAction;
