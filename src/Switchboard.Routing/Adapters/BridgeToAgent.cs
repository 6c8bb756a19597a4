namespace Switchboard.Routing.Adapters;

/// <summary>BRIDGE: connect the caller to the auto-answer endpoint of an agent who accepted on the desk.</summary>
[GenerateSerializer, Immutable, Alias("sb.BridgeToAgent")]
public sealed record BridgeToAgent(string AgentId, string Endpoint, string OfferId) : InstructionAction;
