using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>Uniformly at random among the eligible agents; seeded, so a run can be replayed.</summary>
public sealed class RandomStrategy : RoutingStrategy
{
    private readonly Random _random;

    public RandomStrategy(int seed)
    {
        _random = new Random(seed);
    }

    public override StrategyKind Kind => StrategyKind.Random;

    public override int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call) => _random.Next(eligible.Length);
}
