namespace Switchboard.Routing.Agents;

/// <summary>Not-ready reason codes the router sets by itself; centers define the others (break, lunch...).</summary>
public static class AgentReasonCodes
{
    /// <summary>Set automatically when an agent lets an offer ring out.</summary>
    public const string MissedOffer = "missed-offer";

    /// <summary>The reason an agent has right after login, until it goes ready.</summary>
    public const string LoggedIn = "logged-in";

    /// <summary>Set automatically when an agent's desk stays disconnected past the grace period.</summary>
    public const string Disconnected = "disconnected";
}
