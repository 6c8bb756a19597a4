using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Queues;

/// <summary>An available agent as a queue sees it when matching: who it is, since when it is idle, how busy it has been.</summary>
public readonly record struct AgentCandidate(AgentProfile Profile, DateTimeOffset AvailableSince, double Occupancy)
{
    public string AgentId => Profile.AgentId;

    public static AgentCandidate From(AgentStateMachine agent, DateTimeOffset now) =>
        new(agent.Profile, agent.AvailableSince, agent.Occupancy(now));
}
