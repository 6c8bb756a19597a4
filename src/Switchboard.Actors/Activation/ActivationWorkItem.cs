namespace Switchboard.Actors.Activation;

/// <summary>
/// Something an activation runs as a turn: a grain request, a timer tick, activation or deactivation.
/// <see cref="Start"/> begins the turn; the turn reports its end with <see cref="ActivationData.OnTurnCompleted"/>.
/// </summary>
internal abstract class ActivationWorkItem
{
    /// <summary>When the caller gives up (a <see cref="TimeProvider"/> timestamp); long.MaxValue: never.</summary>
    internal long DeadlineTimestamp = long.MaxValue;

    /// <summary>True for activation and deactivation: nothing else runs beside them.</summary>
    internal virtual bool IsExclusive => false;

    /// <summary>True when the item may start while other turns are in progress.</summary>
    internal virtual bool AlwaysInterleaves => false;

    /// <summary>True when running it counts as activity for idle collection.</summary>
    internal virtual bool KeepsAlive => true;

    /// <summary>True for grain requests: when their activation goes away first, they go to the next one.</summary>
    internal virtual bool IsForwardable => false;

    /// <summary>True once the caller has its answer (for example a timeout); such an item is skipped.</summary>
    internal virtual bool IsAbandoned => false;

    /// <summary>Begins the turn on the activation's context.</summary>
    internal abstract void Start(ActivationData activation);

    /// <summary>Fails the item without running it (activation failed, silo stopping).</summary>
    internal virtual void Fail(Exception exception)
    {
    }

    /// <summary>Fails a caller that waited past its deadline.</summary>
    internal virtual void TimeOut(GrainId grainId, TimeSpan timeout)
    {
    }
}
