namespace Switchboard.Routing.Agents;

/// <summary>How an agent receives offers, chosen at login.</summary>
public enum OfferMode
{
    /// <summary>The station rings (RING_AGENT) and the desk shows the offer; answering the phone connects.</summary>
    RingEndpoint = 0,

    /// <summary>Nothing rings; accepting on the desk connects the call to an auto-answer station (BRIDGE).</summary>
    AcceptOnDesk = 1,
}
