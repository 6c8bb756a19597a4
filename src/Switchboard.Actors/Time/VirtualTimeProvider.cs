namespace Switchboard.Actors.Time;

/// <summary>
/// A clock that moves only when told to: tests and the traffic simulator run grains, timers and timeouts on it,
/// so a day passes in seconds and runs are repeatable. Timers due within an <see cref="Advance"/> fire in due order,
/// on the advancing thread, with the clock set to their due time.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly DateTimeOffset _start;
    private readonly List<VirtualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>A clock standing at <paramref name="start"/> (default 2026-01-01 00:00 UTC).</summary>
    public VirtualTimeProvider(DateTimeOffset? start = null)
    {
        _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _now = _start;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return (_now - _start).Ticks;
        }
    }

    /// <summary>The number of timers that are armed.</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>When the next armed timer is due, or null.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return Earliest()?.Due;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            Arm(timer, dueTime, period);
        }
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="amount"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + amount;
        }
        AdvanceTo(target);
    }

    /// <summary>Moves the clock to <paramref name="target"/> (never backwards), firing due timers in order.</summary>
    public void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            VirtualTimer? timer;
            lock (_lock)
            {
                timer = Earliest();
                if (timer is null || timer.Due > target)
                {
                    if (target > _now)
                    {
                        _now = target;
                    }
                    return;
                }
                if (timer.Due > _now)
                {
                    _now = timer.Due!.Value;
                }
                // Re-arm periodic timers before the callback, as System.Threading.Timer does.
                if (timer.Period is { } period && period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
                {
                    timer.Due = _now + period;
                    timer.Order = ++_sequence;
                }
                else
                {
                    timer.Due = null;
                }
            }
            timer.Callback(timer.State);
        }
    }

    private VirtualTimer? Earliest()
    {
        VirtualTimer? earliest = null;
        foreach (var timer in _timers)
        {
            if (timer.Due is null)
            {
                continue;
            }
            if (earliest is null || timer.Due < earliest.Due || (timer.Due == earliest.Due && timer.Order < earliest.Order))
            {
                earliest = timer;
            }
        }
        return earliest;
    }

    private void Arm(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Period = period;
        timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
        timer.Order = ++_sequence;
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        internal TimerCallback Callback { get; } = callback;
        internal object? State { get; } = state;
        internal DateTimeOffset? Due { get; set; }
        internal TimeSpan? Period { get; set; }
        internal long Order { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }
                owner.Arm(this, dueTime, period);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
