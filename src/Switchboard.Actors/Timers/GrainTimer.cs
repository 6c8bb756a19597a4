using Switchboard.Actors.Activation;

namespace Switchboard.Actors.Timers;

/// <summary>
/// A grain timer on the silo's <see cref="TimeProvider"/>. Each tick is queued as a turn of the activation;
/// the next tick is armed only after the callback completes, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : ActivationWorkItem, IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly GrainTimerCreationOptions _options;
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _lock = new();
    private ITimer? _timer;
    private TimeSpan _dueTime;
    private TimeSpan _period;

    internal GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        if (options.DueTime < TimeSpan.Zero && options.DueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DueTime, "A grain timer's due time cannot be negative.");
        }
        if (options.Period <= TimeSpan.Zero && options.Period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Period, "A grain timer's period must be positive or Infinite.");
        }
        _activation = activation;
        _callback = callback;
        _options = options;
        _dueTime = options.DueTime;
        _period = options.Period;
    }

    internal override bool AlwaysInterleaves => _options.Interleave;

    internal override bool KeepsAlive => _options.KeepAlive;

    internal void Start()
    {
        lock (_lock)
        {
            _timer = _activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnTimerFired(), this, _dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _dueTime = dueTime;
            _period = period;
            _timer?.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimerFired()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        if (!_activation.EnqueueTimerTick(this))
        {
            Dispose();
        }
    }

    internal override void Start(ActivationData activation) => _ = RunTickAsync();

    private async Task RunTickAsync()
    {
        try
        {
            if (!_disposed.IsCancellationRequested)
            {
                await _callback(_disposed.Token);
            }
        }
        catch (Exception exception) when (!_disposed.IsCancellationRequested || exception is not OperationCanceledException)
        {
            _activation.Runtime.Log.TimerCallbackFailed(exception, _activation.GrainId);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _activation.OnTurnCompleted(this);
            lock (_lock)
            {
                if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
                {
                    _timer?.Change(_period, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }
            _disposed.Cancel();
            _timer?.Dispose();
            _timer = null;
        }
        _activation.RemoveTimer(this);
    }
}
