namespace Switchboard.Routing.Agents;

/// <summary>An event in an agent's history; the journal stores these, figures are computed from them.</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentEvent")]
public abstract record AgentEvent(string AgentId, DateTimeOffset At);
