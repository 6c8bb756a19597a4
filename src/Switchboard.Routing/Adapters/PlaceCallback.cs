namespace Switchboard.Routing.Adapters;

/// <summary>PLACE_CALLBACK: a callback's turn came; ring the agent, then dial <paramref name="CallbackNumber"/> and bridge.</summary>
[GenerateSerializer, Immutable, Alias("sb.PlaceCallback")]
public sealed record PlaceCallback(string AgentId, string Endpoint, string CallbackNumber, TimeSpan RingTimeout, string OfferId) : InstructionAction;
