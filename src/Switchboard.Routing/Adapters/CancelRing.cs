namespace Switchboard.Routing.Adapters;

/// <summary>CANCEL_RING: stop ringing the agent's leg if it still rings.</summary>
public sealed record CancelRing(string AgentId, CancelRingReason Reason) : InstructionAction;
