namespace Switchboard.Routing.Agents;

/// <summary>The states of an agent (DOMAIN.md). Hold is a flag inside <see cref="OnCall"/>, not a state.</summary>
public enum AgentState
{
    LoggedOut = 0,
    NotReady = 1,
    Available = 2,

    /// <summary>An offer is pending: the agent's phone is ringing with one call.</summary>
    Reserved = 3,

    OnCall = 4,

    /// <summary>After-call work, bounded by the queue's maximum wrap-up.</summary>
    WrapUp = 5,
}
