namespace Switchboard.Gateway.Security;

/// <summary>Where agents and teams sit in the organisation, for scope checks (supervisors see their vendor or team only).</summary>
internal interface IAgentDirectory
{
    /// <summary>The agent's team and vendor; null when the agent does not exist.</summary>
    ValueTask<AgentPlacement?> FindAgentAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>The team's vendor; null when the team does not exist.</summary>
    ValueTask<string?> FindTeamVendorAsync(string teamId, CancellationToken cancellationToken);

    /// <summary>Whether the vendor exists.</summary>
    ValueTask<bool> VendorExistsAsync(string vendorId, CancellationToken cancellationToken);
}

/// <summary>An agent's team and vendor.</summary>
internal sealed record AgentPlacement(string AgentId, string TeamId, string VendorId);
