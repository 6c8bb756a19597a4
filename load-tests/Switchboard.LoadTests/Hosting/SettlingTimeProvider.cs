using Microsoft.Extensions.Time.Testing;

namespace Switchboard.LoadTests.Hosting;

/// <summary>
/// A virtual clock that tells <see cref="SiloQuiescence"/> when a grain timer fires, before its tick is queued, and
/// knows when its next timer is due (the simulator jumps the clock from one due time to the next).
/// </summary>
internal sealed class SettlingTimeProvider(FakeTimeProvider clock, SiloQuiescence quiescence) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<SettlingTimer> _armed = [];

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override long TimestampFrequency => clock.TimestampFrequency;

    /// <summary>When the earliest armed timer is due; null when none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset? next = null;
                foreach (var timer in _armed)
                {
                    if (next is null || timer.Due < next)
                    {
                        next = timer.Due;
                    }
                }

                return next;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        quiescence.TimerCreated(state);
        var timer = new SettlingTimer(this);
        timer.Inner = clock.CreateTimer(
            s =>
            {
                timer.Fired();
                quiescence.TimerFired(s);
                callback(s);
            },
            state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Arm(SettlingTimer timer, DateTimeOffset? due)
    {
        lock (_gate)
        {
            timer.Due = due ?? default;
            if (due is null)
            {
                _armed.Remove(timer);
            }
            else
            {
                _armed.Add(timer);
            }
        }
    }

    private sealed class SettlingTimer(SettlingTimeProvider owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            // The inner timer counts dueTime from the clock's time when it is changed. A grain re-arms its timer on its
            // own thread just after a tick, and the simulator may move the clock meanwhile: read the time on both
            // sides and change again until the clock stood still, so the due time recorded is the one it fires at
            // (one recorded too early would be waited for at a time already past, for ever).
            // Armed before the change, so that a fire during it (which disarms a one-shot timer) comes after.
            while (true)
            {
                var before = owner.GetUtcNow();
                owner.Arm(this, dueTime == Timeout.InfiniteTimeSpan ? null : before + dueTime);
                var changed = Inner.Change(dueTime, period);
                if (owner.GetUtcNow() == before)
                {
                    return changed;
                }
            }
        }

        public void Fired() => owner.Arm(this, _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period);

        public void Dispose()
        {
            owner.Arm(this, null);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
