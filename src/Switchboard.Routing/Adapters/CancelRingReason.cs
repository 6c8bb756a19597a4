namespace Switchboard.Routing.Adapters;

/// <summary>Why a ring was withdrawn.</summary>
public enum CancelRingReason
{
    Unspecified = 0,

    /// <summary>The agent rejected the offer on the desk.</summary>
    Rejected = 1,

    /// <summary>The server's ring timer ran out before the adapter reported anything.</summary>
    RingTimeout = 2,

    /// <summary>The agent's desk disconnected and did not come back within the grace period.</summary>
    AgentUnavailable = 3,

    /// <summary>The caller hung up while the agent's phone rang.</summary>
    CallerHungUp = 4,
}
