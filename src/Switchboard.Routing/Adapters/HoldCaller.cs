namespace Switchboard.Routing.Adapters;

/// <summary>HOLD: put the caller on hold (the agent pressed Hold on the desk).</summary>
[GenerateSerializer, Immutable, Alias("sb.HoldCaller")]
public sealed record HoldCaller(string AgentId) : InstructionAction;
