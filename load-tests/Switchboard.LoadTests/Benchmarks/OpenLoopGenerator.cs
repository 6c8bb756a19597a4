using System.Diagnostics;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// Starts work items at fixed due times from a thread of its own, whatever the system under test does (open loop):
/// item <c>k</c> is due at <c>start + k / rate</c> and is handed to the thread pool once due, so a busy pool or a
/// slow router never delays the schedule, and latency measured from the due time counts every wait (no coordinated
/// omission). The thread sleeps in 1 ms steps (about 1.1 ms on Linux) and never spins, so it costs the 2-core
/// machine next to nothing; an item therefore starts up to about 1 ms after it was due, and that counts too.
/// </summary>
internal static class OpenLoopGenerator
{
    /// <summary>Runs the schedule; the task completes once every item has been handed to the pool.</summary>
    public static Task RunAsync(long start, int rate, int total, Action<int, long> begin)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var period = (double)Stopwatch.Frequency / rate;
                for (var issued = 0; issued < total;)
                {
                    var now = Stopwatch.GetTimestamp();
                    for (; issued < total; issued++)
                    {
                        var scheduled = start + (long)(issued * period);
                        if (scheduled > now)
                        {
                            break;
                        }

                        ThreadPool.UnsafeQueueUserWorkItem(static item => item.Start(item.Index, item.Scheduled), new Item(begin, issued, scheduled), preferLocal: false);
                    }

                    if (issued < total)
                    {
                        Thread.Sleep(1);
                    }
                }

                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop generator",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    private sealed record Item(Action<int, long> Start, int Index, long Scheduled);
}
