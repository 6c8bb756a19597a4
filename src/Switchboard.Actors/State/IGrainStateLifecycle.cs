namespace Switchboard.Actors.State;

/// <summary>Something an activation reads when it starts and flushes when it stops (state, journal position).</summary>
internal interface IGrainStateLifecycle
{
    Task OnActivateAsync(CancellationToken cancellationToken);

    Task OnDeactivateAsync(CancellationToken cancellationToken);
}
