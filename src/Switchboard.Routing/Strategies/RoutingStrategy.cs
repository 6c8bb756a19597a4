using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// Chooses one agent among eligible agents that tie on vendor preference and queue priority. Called on
/// the hot path: implementations do not allocate. Stateful strategies (round-robin, random) belong to
/// one queue.
/// </summary>
public abstract class RoutingStrategy
{
    public abstract StrategyKind Kind { get; }

    /// <summary>Returns the index in <paramref name="eligible"/> (never empty) of the agent to reserve for <paramref name="call"/>.</summary>
    public abstract int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call);

    /// <summary>A new strategy of <paramref name="kind"/>; <paramref name="seed"/> seeds <see cref="RandomStrategy"/>.</summary>
    public static RoutingStrategy Create(StrategyKind kind, int seed = 0) => kind switch
    {
        StrategyKind.LongestIdle => LongestIdleStrategy.Instance,
        StrategyKind.MostSkilled => MostSkilledStrategy.Instance,
        StrategyKind.LeastOccupied => LeastOccupiedStrategy.Instance,
        StrategyKind.RoundRobin => new RoundRobinStrategy(),
        StrategyKind.Random => new RandomStrategy(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown strategy"),
    };

    /// <summary>The tie-break every strategy falls back to: idle longest, then agent id, so choices are deterministic.</summary>
    internal static bool IdlesLonger(in AgentCandidate a, in AgentCandidate b) =>
        a.AvailableSince < b.AvailableSince
        || (a.AvailableSince == b.AvailableSince && string.CompareOrdinal(a.AgentId, b.AgentId) < 0);
}
