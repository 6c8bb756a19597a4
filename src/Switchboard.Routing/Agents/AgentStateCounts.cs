using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing.Agents;

/// <summary>
/// How many agents are in each state: an immutable, read-only map from state to count that lists only the states
/// with at least one agent. The counts are held inline (no array of their own), so a status published on every
/// agent change is one object.
/// </summary>
[Immutable]
public sealed class AgentStateCounts : IReadOnlyDictionary<AgentState, int>
{
    // Indexed by the state's value: the states are numbered from 0 without gaps.
    private static readonly int StateCount = Enum.GetValues<AgentState>().Max(s => (int)s) + 1;

    private readonly Counts _counts;

    static AgentStateCounts()
    {
        if (StateCount > Counts.Length)
        {
            throw new InvalidOperationException($"{StateCount} agent states do not fit the {Counts.Length} inline counts");
        }
    }

    private AgentStateCounts(ReadOnlySpan<int> counts)
    {
        counts.CopyTo(_counts);
        foreach (var n in counts)
        {
            Count += n > 0 ? 1 : 0;
        }
    }

    /// <summary>No agent in any state.</summary>
    public static AgentStateCounts Empty { get; } = new([]);

    // One agent in each state: an agent's own figures are one of these, so they are shared, not built each time.
    private static readonly AgentStateCounts[] OneAgent = Enumerable.Range(0, StateCount).Select(state =>
    {
        Span<int> counts = stackalloc int[StateCount];
        counts[state] = 1;
        return new AgentStateCounts(counts);
    }).ToArray();

    /// <summary>A copy of <paramref name="counts"/>, indexed by <c>(int)AgentState</c>; negative counts are refused.</summary>
    public static AgentStateCounts From(ReadOnlySpan<int> counts)
    {
        if (counts.Length > StateCount)
        {
            throw new ArgumentException($"{counts.Length} counts given for {StateCount} agent states", nameof(counts));
        }

        int total = 0, last = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(counts[i], nameof(counts));
            total += counts[i];
            last = counts[i] > 0 ? i : last;
        }

        return total switch
        {
            0 => Empty,
            1 => OneAgent[last],
            _ => new AgentStateCounts(counts),
        };
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
        value = i >= 0 && i < StateCount ? _counts[i] : 0;
        return value > 0;
    }

    public IEnumerator<KeyValuePair<AgentState, int>> GetEnumerator()
    {
        for (var i = 0; i < StateCount; i++)
        {
            if (_counts[i] > 0)
            {
                yield return new KeyValuePair<AgentState, int>((AgentState)i, _counts[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}: {p.Value}"));

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct Counts
    {
        public const int Length = 8;

        private int _first;
    }
}
