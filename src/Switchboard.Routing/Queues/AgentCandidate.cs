using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Queues;

/// <summary>An available agent as a queue sees it when matching: who it is, since when it is idle, how busy it has been.</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentCandidate")]
public readonly record struct AgentCandidate(AgentProfile Profile, DateTimeOffset AvailableSince, double Occupancy)
{
    public string AgentId => Profile.AgentId;

    /// <summary>The candidate view of an agent; occupancy is computed only when the strategy uses it.</summary>
    public static AgentCandidate From(AgentStateMachine agent, DateTimeOffset now, bool withOccupancy = true) =>
        new(agent.Profile, agent.AvailableSince, withOccupancy ? agent.Occupancy(now) : 0d);
}
