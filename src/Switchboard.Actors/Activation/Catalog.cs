using System.Collections.Concurrent;

namespace Switchboard.Actors.Activation;

/// <summary>
/// The activations of this silo: exactly one per grain, created on the first call. It also runs the idle
/// collector and the response-timeout sweep, both on the silo's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Catalog(GrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private ITimer? _collector;
    private ITimer? _sweeper;

    internal int Count => _activations.Count;

    internal ActivationData GetOrCreate(GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var activation))
        {
            return activation;
        }
        var grainClass = runtime.Types.GetClass(grainId.Type);
        var created = new ActivationData(grainId, grainClass, runtime, runtime.Placement.GetLease(grainId));
        // Under concurrent first calls only one activation wins the slot; the others are dropped unstarted.
        activation = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(activation, created))
        {
            // The activation turn it starts with is work the runtime holds.
            runtime.Work.Added();
            runtime.Log.Activating(grainId);
        }
        return activation;
    }

    internal bool TryGet(GrainId grainId, out ActivationData? activation) => _activations.TryGetValue(grainId, out activation);

    internal void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    internal void Start()
    {
        var quantum = runtime.Options.CollectionQuantum;
        _collector = runtime.TimeProvider.CreateTimer(static s => ((Catalog)s!).CollectIdle(), this, quantum, quantum);
        var sweep = TimeSpan.FromTicks(Math.Clamp(runtime.Options.ResponseTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        _sweeper = runtime.TimeProvider.CreateTimer(static s => ((Catalog)s!).SweepTimeouts(), this, sweep, sweep);
    }

    /// <summary>Deactivates every activation idle for longer than its class's collection age.</summary>
    internal int CollectIdle()
    {
        var now = runtime.TimeProvider.GetUtcNow();
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (now - activation.LastActivity >= activation.GrainClass.CollectionAge && activation.IsIdle
                && activation.BeginDeactivation(DeactivationReason.IdleCollection) is not null)
            {
                collected++;
            }
        }
        if (collected > 0)
        {
            runtime.Log.CollectedIdle(collected);
        }
        return collected;
    }

    private void SweepTimeouts()
    {
        // Enumerating the dictionary itself, not .Values: that would copy every activation into a new array on
        // each sweep (once a second, thousands of entries).
        var now = runtime.TimeProvider.GetTimestamp();
        foreach (var (_, activation) in _activations)
        {
            activation.SweepTimeouts(now, runtime.Options.ResponseTimeout);
        }
    }

    /// <summary>
    /// Graceful shutdown: deactivates everything (state is persisted) and waits for it, at most
    /// <see cref="Hosting.SiloOptions.DeactivationTimeout"/> of wall-clock time: a turn that never ends must
    /// not keep the process from stopping.
    /// </summary>
    internal async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _collector?.Dispose();
        var deadline = DateTimeOffset.UtcNow + runtime.Options.DeactivationTimeout;
        // New activations may appear while others deactivate (a grain calling another in OnDeactivateAsync).
        for (var round = 0; round < 10 && !_activations.IsEmpty; round++)
        {
            var pending = new List<Task>();
            foreach (var activation in _activations.Values)
            {
                var task = activation.BeginDeactivation(DeactivationReason.ShuttingDown);
                if (task is not null)
                {
                    pending.Add(task);
                }
            }
            var left = deadline - DateTimeOffset.UtcNow;
            try
            {
                await Task.WhenAll(pending).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, TimeProvider.System, cancellationToken);
            }
            catch (TimeoutException)
            {
                runtime.Log.ShutdownIncomplete(_activations.Count, runtime.Options.DeactivationTimeout);
                break;
            }
        }
        _sweeper?.Dispose();
    }
}
