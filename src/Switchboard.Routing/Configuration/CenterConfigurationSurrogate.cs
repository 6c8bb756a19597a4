using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>A <see cref="CenterConfiguration"/> as Orleans carries it: its parts, from which the lookups are rebuilt on arrival.</summary>
[GenerateSerializer, Immutable, Alias("sb.CenterConfiguration")]
internal readonly struct CenterConfigurationSurrogate
{
    [Id(0)] public ImmutableArray<string> Skills { get; init; }

    [Id(1)] public ImmutableArray<string> ReasonCodes { get; init; }

    [Id(2)] public ImmutableArray<VendorDefinition> Vendors { get; init; }

    [Id(3)] public ImmutableArray<TeamDefinition> Teams { get; init; }

    [Id(4)] public ImmutableArray<QueueDefinition> Queues { get; init; }

    [Id(5)] public ImmutableArray<AgentProfile> Agents { get; init; }

    [Id(6)] public ImmutableArray<string> Dispositions { get; init; }

    [Id(7)] public KeyValuePair<string, string>[] SkillNames { get; init; }

    [Id(8)] public KeyValuePair<string, ReasonCodeDetails>[] ReasonCodeDetails { get; init; }
}

[RegisterConverter]
internal sealed class CenterConfigurationSurrogateConverter : IConverter<CenterConfiguration, CenterConfigurationSurrogate>
{
    public CenterConfiguration ConvertFromSurrogate(in CenterConfigurationSurrogate s) =>
        new(s.Skills, s.ReasonCodes, s.Vendors, s.Teams, s.Queues, s.Agents, s.Dispositions,
            (s.SkillNames ?? []).ToDictionary(StringComparer.Ordinal), (s.ReasonCodeDetails ?? []).ToDictionary(StringComparer.Ordinal));

    public CenterConfigurationSurrogate ConvertToSurrogate(in CenterConfiguration value) => new()
    {
        Skills = value.Skills,
        ReasonCodes = value.ReasonCodes,
        Vendors = value.Vendors,
        Teams = value.Teams,
        Queues = value.Queues,
        Agents = value.Agents,
        Dispositions = value.Dispositions,
        SkillNames = [.. value.SkillNames],
        ReasonCodeDetails = [.. value.ReasonCodeDetails],
    };
}
