using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Routing.Telemetry;

/// <summary>
/// The routing hot path's telemetry names, in one place so grains, dashboards and tests agree on them
/// (OpenTelemetry conventions: dotted lower-case names, unit in the instrument, snake_case attributes).
/// </summary>
public static class RoutingTelemetry
{
    public const string ActivitySourceName = "Switchboard.Routing";
    public const string MeterName = "Switchboard";

    /// <summary>Attribute: the queue id.</summary>
    public const string QueueAttribute = "switchboard.queue";

    /// <summary>Attribute: the strategy that chose the agent.</summary>
    public const string StrategyAttribute = "switchboard.strategy";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Offer received to agent reserved, in seconds.</summary>
    public static readonly Histogram<double> RoutingDuration = Meter.CreateHistogram<double>(
        "switchboard.routing.duration", unit: "s", description: "Time from a call offer received to an agent reserved.");

    public static readonly Counter<long> CallsOffered = Meter.CreateCounter<long>(
        "switchboard.calls.offered", unit: "{call}", description: "Calls offered to queues.");

    public static readonly Counter<long> CallsAnswered = Meter.CreateCounter<long>(
        "switchboard.calls.answered", unit: "{call}", description: "Calls answered by agents.");

    public static readonly Counter<long> CallsAbandoned = Meter.CreateCounter<long>(
        "switchboard.calls.abandoned", unit: "{call}", description: "Calls whose caller hung up before an answer.");

    /// <summary>Calls waiting: +1 on enqueue, -1 when a call leaves the queue, tagged with the queue.</summary>
    public static readonly UpDownCounter<long> QueueDepth = Meter.CreateUpDownCounter<long>(
        "switchboard.queue.depth", unit: "{call}", description: "Calls waiting in queues.");

    /// <summary>
    /// Records a zero on every per-queue series of <paramref name="queueIds"/>, so that an idle silo exports each
    /// configured queue's offered, answered, abandoned and depth series from start-up, not from its first call.
    /// </summary>
    public static void ShowQueues(IEnumerable<string> queueIds)
    {
        foreach (var queueId in queueIds)
        {
            var tag = new KeyValuePair<string, object?>(QueueAttribute, queueId);
            CallsOffered.Add(0, tag);
            CallsAnswered.Add(0, tag);
            CallsAbandoned.Add(0, tag);
            QueueDepth.Add(0, tag);
        }
    }
}
