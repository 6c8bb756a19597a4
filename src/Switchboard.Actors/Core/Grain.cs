using Switchboard.Actors.Activation;
using Switchboard.Actors.Timers;

namespace Switchboard.Actors;

/// <summary>
/// The base class of grain implementations. One activation runs one turn at a time; awaits inside
/// a turn do not let other requests in unless the class is <see cref="ReentrantAttribute"/>.
/// </summary>
public abstract class Grain : IAddressable
{
    private readonly ActivationData _activation;

    /// <summary>Creates the grain inside its activation; only the runtime constructs grains.</summary>
    protected Grain()
    {
        _activation = ActivationData.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} is a grain: get it through IGrainFactory.GetGrain, never with 'new'.");
    }

    internal ActivationData Activation => _activation;

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => _activation.GrainId;

    /// <summary>The factory for references to other grains.</summary>
    protected IGrainFactory GrainFactory => _activation.Runtime.GrainFactory;

    /// <summary>The services of the silo.</summary>
    protected IServiceProvider ServiceProvider => _activation.Runtime.Services;

    /// <summary>Called as the activation's first turn, after persistent state has been read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called as the activation's last turn; state changed since its last write is persisted after it.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this activation once the current turn ends.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation();

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this activation: first after <paramref name="dueTime"/>,
    /// then <paramref name="period"/> after each callback completes (Infinite: once). Dispose it to stop it.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    /// <summary>Registers a timer with options (interleaving, keep-alive).</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer(callback, options);
    }

    /// <summary>Registers a timer whose callback receives <paramref name="state"/>.</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer(ct => callback(state, ct), new GrainTimerCreationOptions(dueTime, period));
    }
}
