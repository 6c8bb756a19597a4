using System.Diagnostics;

namespace Switchboard.Benchmarks.Storage;

/// <summary>
/// Thread-pool stalls while a step runs: a timer queues a callback to the pool every 10 ms and records how late it
/// ran, and the pool's queue length at that moment. A pool starved by blocked threads shows as lateness.
/// </summary>
internal sealed class PoolHeartbeat : IDisposable
{
    private static readonly long Period = Stopwatch.Frequency / 100;
    private readonly Timer _timer;
    private readonly List<double> _lateMs = [];
    private long _next;
    private long _maxPending;

    public PoolHeartbeat()
    {
        _next = Stopwatch.GetTimestamp() + Period;
        _timer = new Timer(_ => Beat(), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
    }

    private void Beat()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lateMs)
        {
            _lateMs.Add(Math.Max(0, (now - _next) * 1000.0 / Stopwatch.Frequency));
            _next = now + Period;
            _maxPending = Math.Max(_maxPending, ThreadPool.PendingWorkItemCount);
        }
    }

    public (double P99Ms, double MaxMs, int Over100Ms, long MaxPending) Result()
    {
        lock (_lateMs)
        {
            if (_lateMs.Count == 0)
            {
                return (0, 0, 0, _maxPending);
            }
            var sorted = _lateMs.Order().ToArray();
            return (sorted[(int)(0.99 * (sorted.Length - 1))], sorted[^1], sorted.Count(l => l > 100), _maxPending);
        }
    }

    public void Dispose() => _timer.Dispose();
}
