using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>The agent with the lowest occupancy so far; ties go to the longest idle.</summary>
public sealed class LeastOccupiedStrategy : RoutingStrategy
{
    public static LeastOccupiedStrategy Instance { get; } = new();

    public override StrategyKind Kind => StrategyKind.LeastOccupied;

    public override int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call)
    {
        var best = 0;
        for (var i = 1; i < eligible.Length; i++)
        {
            var o = eligible[i].Occupancy;
            var b = eligible[best].Occupancy;
            if (o < b || (o == b && IdlesLonger(eligible[i], eligible[best])))
            {
                best = i;
            }
        }

        return best;
    }
}
