namespace Switchboard.Gateway.Security;

/// <summary>What an API key may do (docs/api.md, "Authentication and roles").</summary>
public enum GatewayRole
{
    /// <summary>A telephony adapter: <c>TelephonyAdapter</c> only, optionally bound to one adapter id.</summary>
    Adapter,

    /// <summary>An agent's desk: <c>AgentDesk</c> for its own agent id, <c>Wallboard</c> for its own agent scope.</summary>
    Agent,

    /// <summary>A supervisor scoped to a vendor or a team.</summary>
    Supervisor,

    /// <summary>An administrator: everything except the adapter's and the agent's own actions.</summary>
    Admin,
}
