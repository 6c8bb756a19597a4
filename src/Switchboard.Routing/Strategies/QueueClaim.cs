namespace Switchboard.Routing.Strategies;

/// <summary>
/// One queue's claim on an available agent: the call it would give the agent. Cross-queue arbitration
/// compares these.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.QueueClaim")]
public readonly record struct QueueClaim(
    string QueueId,
    string CallId,
    int AgentQueuePriority,
    int CallPriority,
    DateTimeOffset EnqueuedAt);
