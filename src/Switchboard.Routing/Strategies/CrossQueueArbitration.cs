namespace Switchboard.Routing.Strategies;

/// <summary>
/// Decides which queue gets an agent that several queues want: the agent's priority for the queue
/// first (its routing profile), then the call's priority (aging included), then the call's age
/// (earlier original enqueue first), then queue id so the decision is deterministic.
/// </summary>
public static class CrossQueueArbitration
{
    /// <summary>Negative when <paramref name="a"/> wins over <paramref name="b"/>, positive when <paramref name="b"/> wins.</summary>
    public static int Compare(in QueueClaim a, in QueueClaim b)
    {
        if (a.AgentQueuePriority != b.AgentQueuePriority)
        {
            return a.AgentQueuePriority > b.AgentQueuePriority ? -1 : 1;
        }

        if (a.CallPriority != b.CallPriority)
        {
            return a.CallPriority > b.CallPriority ? -1 : 1;
        }

        var age = a.EnqueuedAt.CompareTo(b.EnqueuedAt);
        return age != 0 ? age : string.CompareOrdinal(a.QueueId, b.QueueId);
    }

    /// <summary>The index of the winning claim; -1 when there is none.</summary>
    public static int Choose(ReadOnlySpan<QueueClaim> claims)
    {
        if (claims.IsEmpty)
        {
            return -1;
        }

        var best = 0;
        for (var i = 1; i < claims.Length; i++)
        {
            if (Compare(claims[i], claims[best]) < 0)
            {
                best = i;
            }
        }

        return best;
    }
}
