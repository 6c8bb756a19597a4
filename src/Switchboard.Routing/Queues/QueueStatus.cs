using Switchboard.Routing.Agents;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Queues;

/// <summary>
/// A queue as it is now: published on <c>queue/{id}</c> and <c>center</c> under key <c>queue/{id}</c>.
/// <see cref="OldestWaitingSince"/> lets a board tick the longest wait by itself between updates.
/// <see cref="AgentsByState"/> counts the logged-in agents who serve the queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.QueueStatus")]
public sealed record QueueStatus(
    DateTimeOffset At,
    long Version,
    string QueueId,
    int CallsWaiting,
    int CallbacksWaiting,
    int CallsOffered,
    DateTimeOffset? OldestWaitingSince,
    TimeSpan LongestWait,
    AgentStateCounts AgentsByState,
    int AgentsAvailable,
    TimeSpan RecentHandleTime) : StatusUpdate(At, Version);
