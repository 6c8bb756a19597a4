using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// Pairs a queue's waiting calls with available agents. Calls are taken in queue order; a call no
/// available agent is eligible for is skipped, not allowed to block the calls behind it. For each call
/// the agents are ranked by vendor preference, then by their priority for this queue (agents who serve
/// it only through relaxation come last), and the queue's strategy chooses among the best tier.
/// Reuses its buffers: one instance per queue, single-threaded, no allocation per match.
/// </summary>
public sealed class QueueMatcher
{
    private AgentCandidate[] _tied = new AgentCandidate[16];
    private int[] _tiedIndex = new int[16];
    private int[] _rank = new int[16];
    private int[] _priority = new int[16];
    private bool[] _taken = new bool[16];

    /// <summary>
    /// Appends to <paramref name="results"/> up to <paramref name="maxMatches"/> reservations of distinct calls
    /// to distinct agents, and returns how many it appended. Removes nothing: the caller does.
    /// </summary>
    public int Match(
        QueueDefinition queue,
        IReadOnlyList<WaitingCall> orderedCalls,
        ReadOnlySpan<AgentCandidate> candidates,
        RoutingStrategy strategy,
        DateTimeOffset now,
        List<Reservation> results,
        int maxMatches = int.MaxValue)
    {
        if (candidates.IsEmpty || orderedCalls.Count == 0)
        {
            return 0;
        }

        EnsureCapacity(candidates.Length);
        Array.Clear(_taken, 0, candidates.Length);
        var matched = 0;
        var free = candidates.Length;
        for (var c = 0; c < orderedCalls.Count && matched < maxMatches && free > 0; c++)
        {
            var entry = orderedCalls[c];
            var chosen = SelectAgent(queue, entry, candidates, _taken, strategy, now);
            if (chosen < 0)
            {
                continue;
            }

            _taken[chosen] = true;
            free--;
            matched++;
            results.Add(new Reservation(entry, candidates[chosen].AgentId, now));
        }

        return matched;
    }

    /// <summary>The index in <paramref name="candidates"/> of the agent to reserve for <paramref name="entry"/>, or -1 when none is eligible.</summary>
    public int SelectAgent(
        QueueDefinition queue,
        WaitingCall entry,
        ReadOnlySpan<AgentCandidate> candidates,
        ReadOnlySpan<bool> taken,
        RoutingStrategy strategy,
        DateTimeOffset now)
    {
        EnsureCapacity(candidates.Length);
        var bestRank = int.MaxValue;
        var bestPriority = int.MinValue;
        var any = false;
        for (var i = 0; i < candidates.Length; i++)
        {
            _rank[i] = -1;
            if ((!taken.IsEmpty && taken[i])
                || !Eligibility.IsEligible(queue, entry, candidates[i].Profile, now, out var rank))
            {
                continue;
            }

            var priority = candidates[i].Profile.PriorityFor(queue.QueueId);
            _rank[i] = rank;
            _priority[i] = priority;
            if (!any || rank < bestRank || (rank == bestRank && priority > bestPriority))
            {
                bestRank = rank;
                bestPriority = priority;
                any = true;
            }
        }

        if (!any)
        {
            return -1;
        }

        // A repeat caller's last agent, when eligible, takes the call whatever the strategy says.
        var preferred = entry.PreferredAgentId;
        var tied = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (_rank[i] < 0)
            {
                continue;
            }

            if (preferred is not null && string.Equals(candidates[i].AgentId, preferred, StringComparison.Ordinal))
            {
                return i;
            }

            if (_rank[i] == bestRank && _priority[i] == bestPriority)
            {
                _tied[tied] = candidates[i];
                _tiedIndex[tied] = i;
                tied++;
            }
        }

        return _tiedIndex[strategy.Choose(_tied.AsSpan(0, tied), entry)];
    }

    private void EnsureCapacity(int n)
    {
        if (_rank.Length >= n)
        {
            return;
        }

        var size = Math.Max(n, _rank.Length * 2);
        _tied = new AgentCandidate[size];
        _tiedIndex = new int[size];
        _rank = new int[size];
        _priority = new int[size];
        _taken = new bool[size];
    }
}
