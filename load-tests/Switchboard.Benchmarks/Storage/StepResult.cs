using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks.Storage;

/// <summary>One step's figures: writes per second, a write's p50/p99, and the pool's lateness meanwhile.</summary>
internal sealed record StepResult(string Name, long Writes, TimeSpan Elapsed, double P50Ms, double P99Ms, (double P99Ms, double MaxMs, int Over100Ms, long MaxPending) Pool)
{
    public double PerSecond => Writes / Elapsed.TotalSeconds;

    public static StepResult From(string name, long writes, TimeSpan elapsed, List<long> latencyTicks, PoolHeartbeat heartbeat)
    {
        var sorted = latencyTicks.Order().ToArray();
        double Ms(double q) => sorted.Length == 0 ? 0 : sorted[(int)(q * (sorted.Length - 1))] * 1000.0 / Stopwatch.Frequency;
        return new StepResult(name, writes, elapsed, Ms(0.50), Ms(0.99), heartbeat.Result());
    }

    public string Row(StepResult reference) => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {PerSecond:N0} | {PerSecond / reference.PerSecond:0.000} | {P50Ms:0.000} | {P99Ms:0.000} | {Pool.P99Ms:0.0} | {Pool.MaxMs:0} | {Pool.Over100Ms} | {Pool.MaxPending} |");
}
