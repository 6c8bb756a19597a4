using System.Diagnostics;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// Starts work items at fixed due times from a thread of its own, whatever the system under test does (open loop):
/// item <c>k</c> is due at <c>start + k / rate</c> and is handed to the thread pool once due, so a busy pool or a
/// slow router never delays the schedule, and latency measured from the due time counts every wait (no coordinated
/// omission). The thread never spins, so it costs the 2-core machine next to nothing. On Linux it sleeps until the
/// next item is due on the clock <see cref="Stopwatch"/> reads (<c>clock_nanosleep</c> to an absolute time), so an
/// item starts some tens of microseconds late; elsewhere it sleeps in 1 ms steps (about 1.1 ms), up to that late.
/// Either way the lateness counts in the latency. (Until 2026-11-22 it slept in 1 ms steps on Linux too: every
/// item then started 0-1.1 ms late, 0.55 ms on average, a delay of the generator's own in every figure.)
/// </summary>
internal static partial class OpenLoopGenerator
{
    private const int ClockMonotonic = 1, TimerAbsoluteTime = 1;

    // Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux: a due timestamp is then an absolute sleep target.
    private static readonly bool SleepsToTimestamp = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remaining);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private readonly struct TimeSpec(long seconds, long nanoseconds)
    {
        public readonly long Seconds = seconds;
        public readonly long Nanoseconds = nanoseconds;
    }

    /// <summary>Sleeps until <paramref name="timestamp"/> (a <see cref="Stopwatch"/> reading), or about 1 ms where that is not possible.</summary>
    internal static void SleepUntil(long timestamp)
    {
        if (SleepsToTimestamp)
        {
            // EINTR or an early return: the loop looks at the clock again.
            ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, new TimeSpec(timestamp / 1_000_000_000, timestamp % 1_000_000_000), IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(1);
        }
    }

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
                        SleepUntil(start + (long)(issued * period));
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
