using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>The agent that has been available the longest (earliest AvailableSince). The fair default.</summary>
public sealed class LongestIdleStrategy : RoutingStrategy
{
    public static LongestIdleStrategy Instance { get; } = new();

    public override StrategyKind Kind => StrategyKind.LongestIdle;

    public override int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call)
    {
        var best = 0;
        for (var i = 1; i < eligible.Length; i++)
        {
            if (IdlesLonger(eligible[i], eligible[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
