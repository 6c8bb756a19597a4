using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// Where a step's time went besides routing: the runtime's garbage collections (count, total pause, bytes allocated)
/// and the store's group commits (from the <c>Switchboard.Store</c> meter), between construction and <see cref="Take"/>.
/// </summary>
internal sealed class RuntimeSample : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly LatencySample _commits = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly int _collections = GC.CollectionCount(0);
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _writes;

    public RuntimeSample()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Switchboard.Store")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "switchboard.store.commit.duration")
            {
                _commits.Add(value * 1000);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "switchboard.store.batch.size")
            {
                Interlocked.Add(ref _writes, value);
            }
        });
        _listener.Start();
    }

    public RuntimeFigures Take(int calls)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var paused = GC.GetTotalPauseDuration() - _paused;
        return new RuntimeFigures(
            GC.CollectionCount(0) - _collections,
            paused.TotalMilliseconds,
            paused / elapsed,
            (GC.GetTotalAllocatedBytes() - _allocated) / 1024.0 / Math.Max(1, calls),
            (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalMilliseconds / Math.Max(1, calls),
            _commits.Count,
            _commits.Count == 0 ? 0 : _commits.Percentile(50),
            _commits.Count == 0 ? 0 : _commits.Percentile(99),
            _commits.Count == 0 ? 0 : _commits.Percentile(100),
            _commits.Count == 0 ? 0 : (double)Interlocked.Read(ref _writes) / _commits.Count);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// A step's runtime figures: garbage collections (every generation counts once) and their total pause and share of
/// the step's wall time, kilobytes allocated and CPU milliseconds spent per offered call (the whole process: router,
/// store and the simulated adapters and agents), and the store's commits with their duration and writes per commit.
/// </summary>
internal sealed record RuntimeFigures(int Collections, double PauseMs, double PauseShare, double AllocatedKbPerCall, double CpuMsPerCall,
    int Commits, double CommitP50Ms, double CommitP99Ms, double CommitMaxMs, double WritesPerCommit);
