namespace Switchboard.Routing.Adapters;

/// <summary>RING_AGENT: ring the agent at <paramref name="Endpoint"/> for <paramref name="RingTimeout"/>; on answer, bridge and report answered.</summary>
[GenerateSerializer, Immutable, Alias("sb.RingAgent")]
public sealed record RingAgent(string AgentId, string Endpoint, TimeSpan RingTimeout, string OfferId, string CallerDisplay) : InstructionAction;
