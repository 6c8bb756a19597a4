using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Diagnostics;

namespace Switchboard.LoadTests.Hosting;

/// <summary>
/// Knows when the silos of this process that use it have nothing left to do on a virtual clock: no grain call in
/// flight (an outgoing call filter counts each until its answer arrives, fire-and-forget ones included) and no grain
/// timer that fired and has yet to finish its tick (the clock counts each fire; Orleans' grain timer events say when a
/// tick starts and stops, or that its timer or activation went away). Tests and the simulator wait for it after each
/// step, so that nothing the router does escapes the virtual instant it belongs to.
/// </summary>
public sealed class SiloQuiescence : IOutgoingGrainCallFilter, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, TimerEntry> _timers = new(ReferenceEqualityComparer.Instance);
    private readonly SettlingTimeProvider _settling;
    private readonly IDisposable _timerEvents;
    private readonly IDisposable _lifecycleEvents;
    private TaskCompletionSource? _quiet;
    private int _calls;
    private int _pendingTicks;
    private int _runningTicks;

    public SiloQuiescence(FakeTimeProvider clock)
    {
        Clock = clock;
        _settling = new SettlingTimeProvider(clock, this);
        _timerEvents = GrainTimerEvents.AllEvents.Subscribe(new Observer<GrainTimerEvents.TimerEvent>(OnTimerEvent));
        _lifecycleEvents = GrainLifecycleEvents.AllEvents.Subscribe(new Observer<GrainLifecycleEvents.LifecycleEvent>(OnLifecycleEvent));
    }

    /// <summary>The virtual clock the silos' grains run on; only the test or simulator moves it.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The clock to register as the grains' <see cref="System.TimeProvider"/>: the virtual one, counting timer fires.</summary>
    public TimeProvider TimeProvider => _settling;

    /// <summary>When the earliest grain timer (or other timer of the grains' clock) is due; null when none is armed.</summary>
    public DateTimeOffset? NextDue => _settling.NextDue;

    /// <summary>True when no grain call is in flight and no fired grain timer is still to finish its tick.</summary>
    public bool IsQuiet
    {
        get
        {
            lock (_gate)
            {
                return IsQuietLocked;
            }
        }
    }

    private bool IsQuietLocked => Volatile.Read(ref _calls) == 0 && _pendingTicks == 0 && _runningTicks == 0;

    // Under the lock: wakes a waiter once everything has stopped.
    private void SignalIfQuiet()
    {
        if (_quiet is { } quiet && IsQuietLocked)
        {
            _quiet = null;
            quiet.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until the silos are quiet and stay so for a few checks in a row (a continuation that has just been
    /// scheduled starts its next call a moment after the last one ends). Throws after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var quietChecks = 0;
        while (quietChecks < 3)
        {
            Task? signal = null;
            lock (_gate)
            {
                if (IsQuietLocked)
                {
                    quietChecks++;
                }
                else
                {
                    quietChecks = 0;
                    _quiet ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    signal = _quiet.Task;
                }
            }

            if (signal is null)
            {
                await Task.Yield();
                continue;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(signal, Task.Delay(left)) != signal)
            {
                throw new TimeoutException($"The silo did not settle: {Describe()}");
            }
        }
    }

    /// <summary>Settles, then moves the virtual clock forward <paramref name="amount"/> at most <paramref name="step"/> at a time, settling after each step.</summary>
    public async Task AdvanceAsync(TimeSpan amount, TimeSpan? step = null)
    {
        // What was asked before the clock moves happens at the instant it was asked.
        await WaitAsync();
        var target = Clock.GetUtcNow() + amount;
        var most = step ?? TimeSpan.FromSeconds(1);
        while (Clock.GetUtcNow() < target)
        {
            var left = target - Clock.GetUtcNow();
            Clock.Advance(left < most ? left : most);
            await WaitAsync();
        }
    }

    async Task IOutgoingGrainCallFilter.Invoke(IOutgoingGrainCallContext context)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await context.Invoke();
        }
        finally
        {
            if (Interlocked.Decrement(ref _calls) == 0)
            {
                lock (_gate)
                {
                    SignalIfQuiet();
                }
            }
        }
    }

    /// <summary>A timer of the virtual clock was created; counted only when Orleans made it for a grain timer.</summary>
    internal void TimerCreated(object? state)
    {
        if (state is IGrainTimer)
        {
            lock (_gate)
            {
                _timers.TryAdd(state, new TimerEntry());
            }
        }
    }

    /// <summary>A grain timer of the virtual clock fired: its tick is now queued on its activation.</summary>
    internal void TimerFired(object? state)
    {
        if (state is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_timers.TryGetValue(state, out var entry))
            {
                entry.Pending++;
                _pendingTicks++;
            }
        }
    }

    public void Dispose()
    {
        _timerEvents.Dispose();
        _lifecycleEvents.Dispose();
    }

    private void OnTimerEvent(GrainTimerEvents.TimerEvent e)
    {
        lock (_gate)
        {
            if (!_timers.TryGetValue(e.Timer, out var entry))
            {
                return;
            }

            switch (e)
            {
                case GrainTimerEvents.Created:
                    entry.Context = e.GrainContext;
                    break;
                case GrainTimerEvents.TickStart:
                    if (entry.Pending > 0)
                    {
                        entry.Pending--;
                        _pendingTicks--;
                    }

                    entry.Running++;
                    _runningTicks++;
                    break;
                case GrainTimerEvents.TickStop:
                    if (entry.Running > 0)
                    {
                        entry.Running--;
                        _runningTicks--;
                    }

                    Forget(e.Timer, entry);
                    SignalIfQuiet();
                    break;
                case GrainTimerEvents.Disposed:
                    // A disposed timer's queued tick never runs; one that is running (it may dispose its own timer) ends.
                    _pendingTicks -= entry.Pending;
                    entry.Pending = 0;
                    entry.Disposed = true;
                    Forget(e.Timer, entry);
                    SignalIfQuiet();
                    break;
            }
        }
    }

    private void OnLifecycleEvent(GrainLifecycleEvents.LifecycleEvent e)
    {
        if (e is not GrainLifecycleEvents.Deactivated)
        {
            return;
        }

        lock (_gate)
        {
            List<object>? gone = null;
            foreach (var (timer, entry) in _timers)
            {
                if (ReferenceEquals(entry.Context, e.GrainContext))
                {
                    _pendingTicks -= entry.Pending;
                    _runningTicks -= entry.Running;
                    (gone ??= []).Add(timer);
                }
            }

            foreach (var timer in gone ?? [])
            {
                _timers.Remove(timer);
            }

            SignalIfQuiet();
        }
    }

    // Under the lock: a disposed timer is forgotten once its last tick has stopped.
    private void Forget(object timer, TimerEntry entry)
    {
        if (entry.Disposed && entry.Running == 0)
        {
            _timers.Remove(timer);
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            return $"{Volatile.Read(ref _calls)} grain calls in flight, {_pendingTicks} timer ticks queued, {_runningTicks} running";
        }
    }

    private sealed class TimerEntry
    {
        public IGrainContext? Context { get; set; }

        public int Pending { get; set; }

        public int Running { get; set; }

        public bool Disposed { get; set; }
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => next(value);
    }
}
