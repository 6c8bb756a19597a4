using Switchboard.Actors.Placement;
using Switchboard.Actors.State;
using Switchboard.Actors.Timers;

namespace Switchboard.Actors.Activation;

/// <summary>
/// One activation of a grain: its mailbox and its turn discipline. It is also the
/// <see cref="SynchronizationContext"/> grain code runs on, so continuations after an await come
/// back here and run one at a time, never in parallel with other code of the same activation.
/// </summary>
internal sealed class ActivationData : SynchronizationContext, IThreadPoolWorkItem
{
    /// <summary>The activation whose grain is being constructed on this thread (read by <see cref="Grain"/>'s constructor).</summary>
    [ThreadStatic]
    internal static ActivationData? Constructing;

    // Calls that arrive while the caller's thread may run the callee inline: bounded so that call chains
    // do not grow the stack without limit.
    private const int MaxInlineDepth = 4;
    private const int InlineBudget = 8;
    private const int PoolBudget = 128;

    [ThreadStatic]
    private static int t_inlineDepth;

    // The mailbox and the running turns live in fields rather than in collections of their own: a call's grain
    // lives through several gen0 collections, and each object it owns is one more for each of them to copy.
    // For the same reason the activation locks itself (it is internal; grain code never sees it as an object to
    // lock, only as the SynchronizationContext it awaits on).
    private InlineQueue<ActivationWorkItem> _requests;
    // [AlwaysInterleave] requests to a non-reentrant grain wait apart from the others: they may start while a turn
    // runs, so a request that must wait for that turn cannot hold them up by being ahead of them. Queued behind it
    // instead, an interleaving call (an agent's TryReserve while the agent waits for the queue that asked) waited
    // for the turn that waited for it: a deadlock only the response timeout broke.
    private InlineQueue<ActivationWorkItem> _interleaving;
    private InlineQueue<(SendOrPostCallback Callback, object? State)> _continuations;
    private RunningTurns _running;
    private List<GrainTimer>? _timers;
    private IGrainStateLifecycle[]? _states;
    private ActivationWorkItem? _pendingExclusive;
    private bool _scheduled;
    private bool _exclusiveRunning;
    private bool _deactivationRequested;
    private DeactivationReason _deactivationReason;
    private TaskCompletionSource? _deactivated;
    private long _lastActivityTicks;

    internal ActivationData(GrainId grainId, GrainClassInfo grainClass, GrainRuntime runtime, PartitionLease lease)
    {
        GrainId = grainId;
        GrainClass = grainClass;
        Runtime = runtime;
        Lease = lease;
        _lastActivityTicks = runtime.TimeProvider.GetUtcNow().UtcTicks;
        _pendingExclusive = new ActivationTurn();
    }

    internal GrainId GrainId { get; }

    internal GrainClassInfo GrainClass { get; }

    internal GrainRuntime Runtime { get; }

    /// <summary>The partition and epoch this activation writes under (fencing).</summary>
    internal PartitionLease Lease { get; }

    internal Grain? Instance { get; private set; }

    internal ActivationStatus Status { get; private set; }

    internal DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    internal bool IsIdle
    {
        get
        {
            lock (this)
            {
                return Status == ActivationStatus.Valid && _running.Count == 0 && _requests.Count == 0 && _interleaving.Count == 0
                    && _continuations.Count == 0 && _pendingExclusive is null;
            }
        }
    }

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Queues a request. False when the activation is gone: the caller looks up a new one.</summary>
    internal bool Enqueue(ActivationWorkItem item, bool allowInline)
    {
        bool run;
        lock (this)
        {
            if (Status == ActivationStatus.Invalid)
            {
                return false;
            }
            if (item.AlwaysInterleaves && !GrainClass.IsReentrant)
            {
                _interleaving.Enqueue(item);
            }
            else
            {
                _requests.Enqueue(item);
            }
            Runtime.Work.Added();
            run = !_scheduled;
            _scheduled |= run;
        }
        if (run)
        {
            Dispatch(allowInline);
        }
        return true;
    }

    /// <summary>Continuations of grain code after an await: they belong to a turn already in progress.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        bool run;
        lock (this)
        {
            _continuations.Enqueue((d, state));
            Runtime.Work.Added();
            run = !_scheduled;
            _scheduled |= run;
        }
        if (run)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException($"Synchronous Send is not supported on grain {GrainId}; await instead.");

    void IThreadPoolWorkItem.Execute() => RunLoop(PoolBudget);

    private void Dispatch(bool allowInline)
    {
        if (allowInline && t_inlineDepth < MaxInlineDepth)
        {
            t_inlineDepth++;
            try
            {
                RunLoop(InlineBudget);
            }
            finally
            {
                t_inlineDepth--;
            }
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Runs continuations and startable requests, one at a time, until none is left or the budget is spent.</summary>
    private void RunLoop(int budget)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (true)
            {
                SendOrPostCallback? callback = null;
                object? state = null;
                ActivationWorkItem? item = null;
                lock (this)
                {
                    if (budget-- == 0)
                    {
                        // Keep _scheduled set: the pool takes over, so one caller's thread is not held forever.
                        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                        return;
                    }
                    if (_continuations.Count > 0)
                    {
                        (callback, state) = _continuations.Dequeue();
                    }
                    else if (!TryTakeStartable(out item))
                    {
                        _scheduled = false;
                        return;
                    }
                }
                if (callback is not null)
                {
                    try
                    {
                        callback(state);
                    }
                    finally
                    {
                        Runtime.Work.Done();
                    }
                }
                else
                {
                    item!.Start(this);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryTakeStartable(out ActivationWorkItem? item)
    {
        item = null;
        if (_exclusiveRunning)
        {
            return false;
        }
        if (_pendingExclusive is not null)
        {
            if (_running.Count > 0)
            {
                return false;
            }
            item = _pendingExclusive;
            _pendingExclusive = null;
            _exclusiveRunning = true;
            _running.Add(item);
            return true;
        }
        return TryStart(ref _interleaving, out item) || TryStart(ref _requests, out item);
    }

    /// <summary>Starts the first request of <paramref name="queue"/> if it may run now, dropping abandoned ones on the way.</summary>
    private bool TryStart(ref InlineQueue<ActivationWorkItem> queue, out ActivationWorkItem? item)
    {
        item = null;
        while (queue.Count > 0)
        {
            var next = queue.Peek();
            if (next.IsAbandoned)
            {
                queue.Dequeue();
                Runtime.Work.Done();
                continue;
            }
            if (Status != ActivationStatus.Valid)
            {
                return false;
            }
            if (_running.Count > 0 && !GrainClass.IsReentrant && !next.AlwaysInterleaves)
            {
                return false;
            }
            item = queue.Dequeue();
            _running.Add(item);
            return true;
        }
        return false;
    }

    /// <summary>Ends a turn: lets the next request in, or starts the deactivation the grain asked for.</summary>
    internal void OnTurnCompleted(ActivationWorkItem item)
    {
        bool run;
        Runtime.Work.Done();
        lock (this)
        {
            _running.Remove(item);
            if (item.IsExclusive)
            {
                _exclusiveRunning = false;
            }
            if (item.KeepsAlive)
            {
                _lastActivityTicks = Runtime.TimeProvider.GetUtcNow().UtcTicks;
            }
            if (_deactivationRequested && Status == ActivationStatus.Valid && _pendingExclusive is null)
            {
                _deactivationRequested = false;
                _pendingExclusive = new DeactivationTurn(_deactivationReason);
                Runtime.Work.Added();
            }
            run = !_scheduled && (_continuations.Count > 0 || _requests.Count > 0 || _interleaving.Count > 0 || _pendingExclusive is not null);
            _scheduled |= run;
        }
        if (run)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    internal void RequestDeactivation()
    {
        lock (this)
        {
            if (!_deactivationRequested)
            {
                _deactivationRequested = true;
                _deactivationReason = DeactivationReason.ApplicationRequested;
            }
        }
    }

    /// <summary>
    /// Starts deactivation from outside (idle collection, shutdown) and returns when it is over.
    /// Idle collection gives up (returns null) when the activation is busy.
    /// </summary>
    internal Task? BeginDeactivation(DeactivationReason reason)
    {
        bool run = false;
        lock (this)
        {
            if (Status == ActivationStatus.Invalid)
            {
                return Task.CompletedTask;
            }
            var busy = _running.Count > 0 || _requests.Count > 0 || _interleaving.Count > 0 || _continuations.Count > 0;
            if (reason == DeactivationReason.IdleCollection && (busy || Status != ActivationStatus.Valid || _pendingExclusive is not null))
            {
                return null;
            }
            _deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Status == ActivationStatus.Deactivating || _pendingExclusive is DeactivationTurn)
            {
                return _deactivated.Task;
            }
            if (Status != ActivationStatus.Valid || _pendingExclusive is not null)
            {
                // Still activating: deactivate right after.
                _deactivationRequested = true;
                _deactivationReason = reason;
                return _deactivated.Task;
            }
            _pendingExclusive = new DeactivationTurn(reason);
            Runtime.Work.Added();
            run = !_scheduled;
            _scheduled |= run;
        }
        if (run)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        return _deactivated.Task;
    }

    internal IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        var timer = new GrainTimer(this, callback, options);
        lock (this)
        {
            if (Status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                throw new InvalidOperationException($"Grain {GrainId} is deactivating; it cannot register timers.");
            }
            (_timers ??= new List<GrainTimer>()).Add(timer);
        }
        timer.Start();
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    /// <summary>Queues a timer tick as a turn; false once the activation is deactivating.</summary>
    internal bool EnqueueTimerTick(ActivationWorkItem tick)
    {
        lock (this)
        {
            if (Status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return false;
            }
        }
        return Enqueue(tick, allowInline: false);
    }

    /// <summary>Registers a persistent state or journal read on activation and flushed on deactivation.</summary>
    internal void AddStateLifecycle(IGrainStateLifecycle state) => _states = [.. _states ?? [], state];

    /// <summary>Fails callers whose deadline has passed. Queued requests are skipped once failed.</summary>
    private static readonly Func<ActivationWorkItem, long, bool> IsExpired = static (item, now) => item.DeadlineTimestamp <= now && !item.IsAbandoned;

    internal void SweepTimeouts(long nowTimestamp, TimeSpan timeout)
    {
        List<ActivationWorkItem>? expired = null;
        lock (this)
        {
            // Runs over every activation each sweep: nothing is allocated unless something expired.
            _requests.Collect(IsExpired, nowTimestamp, ref expired);
            _interleaving.Collect(IsExpired, nowTimestamp, ref expired);
            _running.Collect(IsExpired, nowTimestamp, ref expired);
        }
        if (expired is null)
        {
            return;
        }
        foreach (var item in expired)
        {
            item.TimeOut(GrainId, timeout);
        }
    }

    /// <summary>The activation turn: constructs the grain, reads its state, runs OnActivateAsync.</summary>
    private sealed class ActivationTurn : ActivationWorkItem
    {
        internal override bool IsExclusive => true;

        internal override void Start(ActivationData activation) => _ = activation.ActivateAsync(this);
    }

    private async Task ActivateAsync(ActivationTurn turn)
    {
        lock (this)
        {
            Status = ActivationStatus.Activating;
        }
        try
        {
            Constructing = this;
            try
            {
                Instance = GrainClass.Create(this);
            }
            finally
            {
                Constructing = null;
            }
            if (_states is not null)
            {
                foreach (var state in _states)
                {
                    await state.OnActivateAsync(CancellationToken.None);
                }
            }
            using var cts = new CancellationTokenSource(Runtime.Options.ActivationTimeout, Runtime.TimeProvider);
            await Instance.OnActivateAsync(cts.Token);
            lock (this)
            {
                Status = ActivationStatus.Valid;
            }
        }
        catch (Exception exception)
        {
            FailActivation(exception);
        }
        finally
        {
            OnTurnCompleted(turn);
        }
    }

    private void FailActivation(Exception exception)
    {
        var failure = new GrainActivationException(GrainId, exception);
        Runtime.Log.ActivationFailed(exception, GrainId);
        ActivationWorkItem[] pending;
        lock (this)
        {
            Status = ActivationStatus.Invalid;
            pending = DrainRequests();
        }
        Runtime.Work.Done(pending.Length);
        DisposeTimers();
        Runtime.Catalog.Remove(this);
        CompleteDeactivation();
        foreach (var item in pending)
        {
            item.Fail(failure);
        }
    }

    private void CompleteDeactivation()
    {
        TaskCompletionSource? deactivated;
        lock (this)
        {
            deactivated = _deactivated;
        }
        deactivated?.TrySetResult();
    }

    /// <summary>The deactivation turn: OnDeactivateAsync, then persist changed state, then leave the catalog.</summary>
    private sealed class DeactivationTurn(DeactivationReason reason) : ActivationWorkItem
    {
        internal DeactivationReason Reason { get; } = reason;

        internal override bool IsExclusive => true;

        internal override bool KeepsAlive => false;

        internal override void Start(ActivationData activation) => _ = activation.DeactivateAsync(this);
    }

    private async Task DeactivateAsync(DeactivationTurn turn)
    {
        lock (this)
        {
            Status = ActivationStatus.Deactivating;
        }
        DisposeTimers();
        try
        {
            using var cts = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.TimeProvider);
            await Instance!.OnDeactivateAsync(turn.Reason, cts.Token);
        }
        catch (Exception exception)
        {
            Runtime.Log.DeactivationFailed(exception, GrainId);
        }
        if (_states is not null)
        {
            foreach (var state in _states)
            {
                try
                {
                    await state.OnDeactivateAsync(CancellationToken.None);
                }
                catch (Exception exception)
                {
                    Runtime.Log.StatePersistOnDeactivationFailed(exception, GrainId);
                }
            }
        }
        Runtime.Catalog.Remove(this);
        ActivationWorkItem[] pending;
        lock (this)
        {
            Status = ActivationStatus.Invalid;
            pending = DrainRequests();
        }
        Runtime.Work.Done(pending.Length);
        OnTurnCompleted(turn);
        CompleteDeactivation();
        // Requests that arrived during deactivation go to the grain's next activation.
        foreach (var item in pending)
        {
            if (item.IsForwardable && !item.IsAbandoned)
            {
                Runtime.Forward(GrainId, item);
            }
        }
    }

    /// <summary>Every queued request, interleaving or not (under the lock).</summary>
    private ActivationWorkItem[] DrainRequests() => _interleaving.Count == 0 ? _requests.Drain() : [.. _interleaving.Drain(), .. _requests.Drain()];

    private void DisposeTimers()
    {
        GrainTimer[]? timers;
        lock (this)
        {
            timers = _timers?.ToArray();
            _timers = null;
        }
        if (timers is null)
        {
            return;
        }
        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    public override string ToString() => $"activation of {GrainId} ({Status})";
}
