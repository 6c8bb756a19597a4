namespace Switchboard.Routing.Agents;

/// <summary>What caused an agent state change; recorded in <see cref="AgentStateChanged"/>.</summary>
public enum AgentAction
{
    Login,
    Logout,
    Ready,
    NotReady,
    Reserve,
    OfferTimeout,
    Reject,
    OfferCancelled,
    Answer,
    EndCall,
    FinishWrapUp,
    WrapUpTimeout,
}
