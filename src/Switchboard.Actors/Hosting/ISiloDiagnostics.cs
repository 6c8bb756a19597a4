namespace Switchboard.Actors.Hosting;

/// <summary>What the silo's runtime holds right now; used by the traffic simulator and by tests.</summary>
public interface ISiloDiagnostics
{
    /// <summary>Activations in the catalog.</summary>
    int ActivationCount { get; }

    /// <summary>Queued and running turns and posted continuations; zero when the runtime is quiescent.</summary>
    long PendingWork { get; }

    /// <summary>Completes when no work is pending: every turn has finished and nothing is queued.</summary>
    Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default);
}
