namespace Switchboard.Routing.Configuration;

/// <summary>A team of agents under a team leader; it belongs to one vendor.</summary>
[GenerateSerializer, Immutable, Alias("sb.TeamDefinition")]
public sealed record TeamDefinition(string TeamId, string Name, string VendorId)
{
    /// <summary>The team leader's agent id; null when none is named. Not checked against the team's members.</summary>
    [Id(0)]
    public string? LeaderAgentId { get; init; }
}
