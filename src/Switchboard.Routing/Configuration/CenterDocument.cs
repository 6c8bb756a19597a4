using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The center configuration as the center grain stores it: plain records that serialize as they are. The members after
/// <see cref="Agents"/> came later: a document stored before them reads them as empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CenterDocument")]
internal sealed record CenterDocument(
    ImmutableArray<string> Skills,
    ImmutableArray<string> ReasonCodes,
    ImmutableArray<VendorDefinition> Vendors,
    ImmutableArray<TeamDefinition> Teams,
    ImmutableArray<QueueDefinition> Queues,
    ImmutableArray<AgentDocument> Agents,
    ImmutableArray<string> Dispositions = default,
    ImmutableDictionary<string, string>? SkillNames = null,
    ImmutableDictionary<string, ReasonCodeDetails>? ReasonCodeDetails = null)
{
    public static CenterDocument Empty { get; } = new([], [], [], [], [], []);

    public static CenterDocument From(CenterConfiguration c) => new(
        c.Skills, c.ReasonCodes, c.Vendors, c.Teams, c.Queues,
        [.. c.Agents.Select(AgentDocument.From)],
        c.Dispositions, c.SkillNames.ToImmutableDictionary(StringComparer.Ordinal), c.ReasonCodeDetails.ToImmutableDictionary(StringComparer.Ordinal));
}

/// <summary>An agent's profile as stored (AgentProfile's frozen dictionaries do not deserialize).</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentDocument")]
internal sealed record AgentDocument(
    string AgentId, string TeamId, string VendorId, Dictionary<string, int> Skills, Dictionary<string, int> Queues, string? DisplayName = null, bool Disabled = false)
{
    public static AgentDocument From(AgentProfile p) => new(
        p.AgentId, p.TeamId, p.VendorId,
        p.Skills.ToDictionary(StringComparer.Ordinal), p.QueuePriorities.ToDictionary(StringComparer.Ordinal),
        p.DisplayName == p.AgentId ? null : p.DisplayName, p.Disabled);

    public AgentProfile ToProfile(string vendorId) => new(AgentId, TeamId, vendorId, Skills, Queues) { DisplayName = DisplayName!, Disabled = Disabled };
}

/// <summary>Stored state of the center grain.</summary>
[GenerateSerializer, Alias("sb.CenterGrainState")]
internal sealed class CenterGrainState
{
    [Id(0)]
    public long Version { get; set; }

    [Id(1)]
    public CenterDocument? Document { get; set; }

    /// <summary>Per entity (<c>queue/billing</c>), the configuration version that last changed it: its etag.</summary>
    [Id(2)]
    public Dictionary<string, long>? EntityVersions { get; set; }
}
