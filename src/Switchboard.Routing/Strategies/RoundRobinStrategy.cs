using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// Agents take turns in agent-id order: the first eligible agent after the last one chosen, wrapping
/// around. One instance per queue (it remembers the last choice).
/// </summary>
public sealed class RoundRobinStrategy : RoutingStrategy
{
    /// <summary>The agent chosen last; null before the first choice.</summary>
    public string? LastAgentId { get; private set; }

    public override StrategyKind Kind => StrategyKind.RoundRobin;

    public override int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call)
    {
        var next = -1;
        var first = 0;
        for (var i = 0; i < eligible.Length; i++)
        {
            var id = eligible[i].AgentId;
            if (string.CompareOrdinal(id, eligible[first].AgentId) < 0)
            {
                first = i;
            }

            if ((LastAgentId is null || string.CompareOrdinal(id, LastAgentId) > 0)
                && (next < 0 || string.CompareOrdinal(id, eligible[next].AgentId) < 0))
            {
                next = i;
            }
        }

        var chosen = next >= 0 ? next : first;
        LastAgentId = eligible[chosen].AgentId;
        return chosen;
    }
}
