using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing.Agents;

/// <summary>
/// How many agents are in each state: an immutable, read-only map from state to count that lists only the states
/// with at least one agent. One small array per value, so a status published on every agent change stays cheap.
/// </summary>
public sealed class AgentStateCounts : IReadOnlyDictionary<AgentState, int>
{
    // Indexed by the state's value: the states are numbered from 0 without gaps.
    private static readonly int StateCount = Enum.GetValues<AgentState>().Max(s => (int)s) + 1;

    private readonly int[] _counts;

    private AgentStateCounts(int[] counts)
    {
        _counts = counts;
        foreach (var n in counts)
        {
            Count += n > 0 ? 1 : 0;
        }
    }

    /// <summary>No agent in any state.</summary>
    public static AgentStateCounts Empty { get; } = new(new int[StateCount]);

    /// <summary>A copy of <paramref name="counts"/>, indexed by <c>(int)AgentState</c>; negative counts are refused.</summary>
    public static AgentStateCounts From(ReadOnlySpan<int> counts)
    {
        if (counts.Length > StateCount)
        {
            throw new ArgumentException($"{counts.Length} counts given for {StateCount} agent states", nameof(counts));
        }

        var copy = new int[StateCount];
        for (var i = 0; i < counts.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(counts[i], nameof(counts));
            copy[i] = counts[i];
        }

        return new AgentStateCounts(copy);
    }

    /// <summary>The number of states with at least one agent.</summary>
    public int Count { get; }

    /// <summary>The number of agents in <paramref name="key"/>; a state without agents is not a key.</summary>
    public int this[AgentState key] => TryGetValue(key, out var n) ? n : throw new KeyNotFoundException($"no agent is {key}");

    public IEnumerable<AgentState> Keys => this.Select(p => p.Key);

    public IEnumerable<int> Values => this.Select(p => p.Value);

    public bool ContainsKey(AgentState key) => TryGetValue(key, out _);

    public bool TryGetValue(AgentState key, [MaybeNullWhen(false)] out int value)
    {
        var i = (int)key;
        value = i >= 0 && i < _counts.Length ? _counts[i] : 0;
        return value > 0;
    }

    public IEnumerator<KeyValuePair<AgentState, int>> GetEnumerator()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                yield return new KeyValuePair<AgentState, int>((AgentState)i, _counts[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}: {p.Value}"));
}
