using System.Collections.Immutable;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Queues;

/// <summary>
/// A call's place in a queue. Ordered by <see cref="BasePriority"/> (plus aging) descending, then
/// <see cref="Call"/>.EnqueuedAt ascending, then <see cref="Sequence"/> (arrival order within the queue).
/// <see cref="PreferredAgentId"/> is the agent a repeat caller is offered to first; <see cref="DeclinedBy"/>
/// are agents who rejected or missed it, so it is not offered to them again.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.WaitingCall")]
public sealed record WaitingCall(
    Call Call,
    long Sequence,
    int BasePriority,
    bool IsCallback,
    string? PreferredAgentId,
    ImmutableArray<string> DeclinedBy)
{
    public string CallId => Call.CallId;

    public DateTimeOffset EnqueuedAt => Call.EnqueuedAt;

    /// <summary>Priority at <paramref name="now"/>, aging included.</summary>
    public int PriorityAt(DateTimeOffset now, PriorityAging? aging)
    {
        if (aging is null || aging.Every <= TimeSpan.Zero || now <= EnqueuedAt)
        {
            return BasePriority;
        }

        var steps = (now - EnqueuedAt).Ticks / aging.Every.Ticks;
        return BasePriority + (int)Math.Min(steps * Math.Max(1, aging.Step), aging.MaxBoost);
    }
}
