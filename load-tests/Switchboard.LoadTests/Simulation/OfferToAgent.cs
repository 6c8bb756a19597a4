namespace Switchboard.LoadTests.Simulation;

/// <summary>The router reserved <paramref name="AgentId"/> for the simulator's call <paramref name="CallId"/>: the agent's phone rings.</summary>
internal readonly record struct OfferToAgent(string CallId, string AgentId);
