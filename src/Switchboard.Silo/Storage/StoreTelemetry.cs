using System.Diagnostics.Metrics;

namespace Switchboard.Silo.Storage;

/// <summary>
/// The store's instruments, on the <c>Switchboard.Store</c> meter: add <see cref="MeterName"/> to the host's metrics so
/// they are exported beside the other Switchboard meters.
/// </summary>
public static class StoreTelemetry
{
    public const string MeterName = "Switchboard.Store";

    /// <summary>Attribute: the store's name (<c>sqlite</c>, <c>postgres-journal</c>).</summary>
    public const string StoreAttribute = "switchboard.store";

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>One group commit, from the start of its transaction to durable (an fsync on SQLite), in seconds.</summary>
    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "switchboard.store.commit.duration", unit: "s", description: "Time to commit one batch of writes durably.");

    /// <summary>Writes (state writes, clears, journal appends) per committed batch.</summary>
    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "switchboard.store.batch.size", unit: "{write}", description: "Writes committed together in one transaction.");
}
