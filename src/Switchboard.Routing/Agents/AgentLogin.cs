namespace Switchboard.Routing.Agents;

/// <summary>An agent logs in at <paramref name="Station"/> (the endpoint adapters ring: <c>user/1042</c>).</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentLogin")]
public sealed record AgentLogin(string Station, OfferMode OfferMode = OfferMode.RingEndpoint);
