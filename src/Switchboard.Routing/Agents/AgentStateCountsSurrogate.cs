namespace Switchboard.Routing.Agents;

/// <summary>An <see cref="AgentStateCounts"/> as Orleans carries it: the count of each state, by the state's value.</summary>
[GenerateSerializer, Immutable, Alias("sb.AgentStateCounts")]
internal readonly struct AgentStateCountsSurrogate
{
    [Id(0)] public int[] Counts { get; init; }
}

[RegisterConverter]
internal sealed class AgentStateCountsSurrogateConverter : IConverter<AgentStateCounts, AgentStateCountsSurrogate>
{
    public AgentStateCounts ConvertFromSurrogate(in AgentStateCountsSurrogate surrogate) => AgentStateCounts.From(surrogate.Counts ?? []);

    public AgentStateCountsSurrogate ConvertToSurrogate(in AgentStateCounts value)
    {
        var counts = new int[Enum.GetValues<AgentState>().Max(s => (int)s) + 1];
        foreach (var (state, count) in value)
        {
            counts[(int)state] = count;
        }

        return new AgentStateCountsSurrogate { Counts = counts };
    }
}
