using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// A validated, immutable center configuration: every reference resolves, every value is in range.
/// Obtain one from <see cref="CenterConfigurationLoader"/>; a new file produces a new instance, so the
/// running one is never half-updated.
/// </summary>
[Immutable]
public sealed class CenterConfiguration
{
    internal CenterConfiguration(
        ImmutableArray<string> skills,
        ImmutableArray<string> reasonCodes,
        ImmutableArray<VendorDefinition> vendors,
        ImmutableArray<TeamDefinition> teams,
        ImmutableArray<QueueDefinition> queues,
        ImmutableArray<AgentProfile> agents,
        ImmutableArray<string> dispositions = default,
        IReadOnlyDictionary<string, string>? skillNames = null,
        IReadOnlyDictionary<string, ReasonCodeDetails>? reasonCodeDetails = null)
    {
        Dispositions = dispositions.IsDefault ? [] : dispositions;
        SkillNames = (skillNames ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.Ordinal);
        ReasonCodeDetails = (reasonCodeDetails ?? new Dictionary<string, ReasonCodeDetails>()).ToFrozenDictionary(StringComparer.Ordinal);
        Skills = skills;
        ReasonCodes = reasonCodes;
        Vendors = vendors;
        Teams = teams;
        Queues = queues;
        // Whether an agent is in-house is its vendor's: stamped here, so every configuration carries it right.
        var inHouse = vendors.Where(v => v.InHouse).Select(v => v.VendorId).ToHashSet(StringComparer.Ordinal);
        agents = [.. agents.Select(a => a.InHouse == inHouse.Contains(a.VendorId) ? a : a with { InHouse = !a.InHouse })];
        Agents = agents;
        VendorsById = vendors.ToFrozenDictionary(v => v.VendorId, StringComparer.Ordinal);
        TeamsById = teams.ToFrozenDictionary(t => t.TeamId, StringComparer.Ordinal);
        QueuesById = queues.ToFrozenDictionary(q => q.QueueId, StringComparer.Ordinal);
        AgentsById = agents.ToFrozenDictionary(a => a.AgentId, StringComparer.Ordinal);
    }

    public ImmutableArray<string> Skills { get; }

    /// <summary>Not-ready reason codes agents may use (missed-offer and logged-in are always known).</summary>
    public ImmutableArray<string> ReasonCodes { get; }

    /// <summary>Disposition codes: the outcomes an agent may give a call when finishing its wrap-up.</summary>
    public ImmutableArray<string> Dispositions { get; }

    /// <summary>Display names of skills, where one is configured (otherwise the id is the name).</summary>
    public FrozenDictionary<string, string> SkillNames { get; }

    /// <summary>Names and productive flags of reason codes and dispositions, where configured.</summary>
    public FrozenDictionary<string, ReasonCodeDetails> ReasonCodeDetails { get; }

    public ImmutableArray<VendorDefinition> Vendors { get; }

    public ImmutableArray<TeamDefinition> Teams { get; }

    public ImmutableArray<QueueDefinition> Queues { get; }

    public ImmutableArray<AgentProfile> Agents { get; }

    public FrozenDictionary<string, VendorDefinition> VendorsById { get; }

    public FrozenDictionary<string, TeamDefinition> TeamsById { get; }

    public FrozenDictionary<string, QueueDefinition> QueuesById { get; }

    public FrozenDictionary<string, AgentProfile> AgentsById { get; }

    /// <summary>The name shown for <paramref name="skill"/>.</summary>
    public string SkillName(string skill) => SkillNames.GetValueOrDefault(skill) ?? skill;

    /// <summary>The name and productive flag of <paramref name="code"/> (a not-ready reason or a disposition).</summary>
    public ReasonCodeDetails DetailsOf(string code) => ReasonCodeDetails.GetValueOrDefault(code) ?? new ReasonCodeDetails(code);

    /// <summary>Whether an agent may go not-ready with <paramref name="reasonCode"/>: a configured code or one the router sets itself.</summary>
    public bool IsKnownReasonCode(string reasonCode) =>
        reasonCode is AgentReasonCodes.MissedOffer or AgentReasonCodes.LoggedIn || ReasonCodes.Contains(reasonCode);
}
