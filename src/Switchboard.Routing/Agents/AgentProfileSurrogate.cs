namespace Switchboard.Routing.Agents;

/// <summary>An <see cref="AgentProfile"/> as Orleans carries it (its frozen dictionaries are rebuilt on arrival).</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentProfile")]
internal readonly struct AgentProfileSurrogate
{
    [Id(0)] public string AgentId { get; init; }

    [Id(1)] public string TeamId { get; init; }

    [Id(2)] public string VendorId { get; init; }

    [Id(3)] public KeyValuePair<string, int>[] Skills { get; init; }

    [Id(4)] public KeyValuePair<string, int>[] QueuePriorities { get; init; }

    [Id(5)] public string? DisplayName { get; init; }

    [Id(6)] public bool Disabled { get; init; }

    [Id(7)] public bool InHouse { get; init; }
}

[RegisterConverter]
internal sealed class AgentProfileSurrogateConverter : IConverter<AgentProfile, AgentProfileSurrogate>
{
    public AgentProfile ConvertFromSurrogate(in AgentProfileSurrogate surrogate) =>
        new(surrogate.AgentId, surrogate.TeamId, surrogate.VendorId, surrogate.Skills, surrogate.QueuePriorities)
        {
            DisplayName = surrogate.DisplayName!,
            Disabled = surrogate.Disabled,
            InHouse = surrogate.InHouse,
        };

    public AgentProfileSurrogate ConvertToSurrogate(in AgentProfile value) => new()
    {
        AgentId = value.AgentId,
        TeamId = value.TeamId,
        VendorId = value.VendorId,
        Skills = [.. value.Skills],
        QueuePriorities = [.. value.QueuePriorities],
        DisplayName = value.DisplayName == value.AgentId ? null : value.DisplayName,
        Disabled = value.Disabled,
        InHouse = value.InHouse,
    };
}
