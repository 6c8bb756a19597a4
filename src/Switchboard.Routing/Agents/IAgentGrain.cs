using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Agents;

/// <summary>
/// One agent, keyed by agent id: the only authority on whether the agent can take a call. Its skills, team,
/// vendor and routing profile come from the center configuration. Every transition is journaled before it
/// takes effect; the agent is rebuilt from its journal on activation. Each method returns the agent's
/// <see cref="AgentStatus"/> after it; a refused one throws <see cref="AgentStateException"/> (or
/// <see cref="RoutingNotFoundException"/> for an unknown agent, reason code or offer) and changes nothing.
/// Asking for the state the agent is already in succeeds.
/// </summary>
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>LoggedOut to NotReady(logged-in) at a station; the desk counts as connected.</summary>
    Task<AgentStatus> LoginAsync(AgentLogin login);

    /// <summary>NotReady or Available to LoggedOut; refused while the agent has a call.</summary>
    Task<AgentStatus> LogoutAsync();

    /// <summary>NotReady to Available; the agent is offered the best waiting call across its queues at once.</summary>
    Task<AgentStatus> SetReadyAsync();

    /// <summary>
    /// To NotReady(<paramref name="reasonCode"/>). While Reserved, OnCall or WrapUp the request is kept as
    /// pending (<see cref="AgentStatus.PendingReasonCode"/>) and applied when wrap-up ends.
    /// </summary>
    Task<AgentStatus> SetNotReadyAsync(string reasonCode);

    /// <summary>Accepts the pending offer on the desk (accept-on-desk mode: the adapter is told to BRIDGE).</summary>
    Task<AgentStatus> AcceptOfferAsync(string offerId);

    /// <summary>Declines the pending offer: the agent is Available again, the call goes back to the head of its queue.</summary>
    Task<AgentStatus> RejectOfferAsync(string offerId);

    /// <summary>Puts the current call on hold from the desk (the adapter is told to HOLD).</summary>
    Task<AgentStatus> HoldAsync();

    /// <summary>Takes the current call off hold from the desk (the adapter is told to RESUME).</summary>
    Task<AgentStatus> ResumeAsync();

    /// <summary>Moves the current call to another queue (keeping its arrival time) or to an Available agent; the agent goes to WrapUp.</summary>
    Task<AgentStatus> TransferAsync(TransferTarget target);

    /// <summary>
    /// WrapUp of <paramref name="callId"/> to Available, or NotReady(<paramref name="notReadyReason"/>) when given or pending.
    /// <paramref name="dispositionCode"/> (one of the center's dispositions; required when the call's queue says so) and
    /// <paramref name="notes"/> are journaled on the call (<see cref="CallSnapshot.DispositionCode"/>).
    /// </summary>
    Task<AgentStatus> FinishWrapUpAsync(string callId, string? notReadyReason = null, string? dispositionCode = null, string? notes = null);

    /// <summary>The agent's desk stream opened: cancels a pending disconnect.</summary>
    Task<AgentStatus> DeskConnectedAsync();

    /// <summary>
    /// The agent's desk stream dropped. If it does not reconnect within
    /// <see cref="Hosting.RoutingOptions.DeskDisconnectGrace"/> (30 s, a grain timer) the agent goes
    /// NotReady(disconnected): a pending offer is withdrawn; a connected call goes on and the agent goes
    /// NotReady(disconnected) after its wrap-up.
    /// </summary>
    Task<AgentStatus> DeskDisconnectedAsync();

    /// <summary>The agent as it is now.</summary>
    Task<AgentStatus> GetStatusAsync();
}
