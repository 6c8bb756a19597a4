using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>The center configuration as the center grain stores it: plain records that serialize as they are.</summary>
internal sealed record CenterDocument(
    ImmutableArray<string> Skills,
    ImmutableArray<string> ReasonCodes,
    ImmutableArray<VendorDefinition> Vendors,
    ImmutableArray<TeamDefinition> Teams,
    ImmutableArray<QueueDefinition> Queues,
    ImmutableArray<AgentDocument> Agents)
{
    public static CenterDocument Empty { get; } = new([], [], [], [], [], []);

    public static CenterDocument From(CenterConfiguration c) => new(
        c.Skills, c.ReasonCodes, c.Vendors, c.Teams, c.Queues,
        [.. c.Agents.Select(AgentDocument.From)]);
}

/// <summary>An agent's profile as stored (AgentProfile's frozen dictionaries do not deserialize).</summary>
internal sealed record AgentDocument(string AgentId, string TeamId, string VendorId, Dictionary<string, int> Skills, Dictionary<string, int> Queues)
{
    public static AgentDocument From(AgentProfile p) => new(
        p.AgentId, p.TeamId, p.VendorId,
        p.Skills.ToDictionary(StringComparer.Ordinal), p.QueuePriorities.ToDictionary(StringComparer.Ordinal));

    public AgentProfile ToProfile(string vendorId) => new(AgentId, TeamId, vendorId, Skills, Queues);
}

/// <summary>Stored state of the center grain.</summary>
internal sealed class CenterGrainState
{
    public long Version { get; set; }

    public CenterDocument? Document { get; set; }
}
