namespace Switchboard.Routing.Configuration;

/// <summary>A team of agents under a team leader; it belongs to one vendor.</summary>
public sealed record TeamDefinition(string TeamId, string Name, string VendorId)
{
    /// <summary>The team leader's agent id; null when none is named. Not checked against the team's members.</summary>
    public string? LeaderAgentId { get; init; }
}
