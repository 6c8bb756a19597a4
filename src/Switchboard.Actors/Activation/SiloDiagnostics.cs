using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Activation;

internal sealed class SiloDiagnostics(GrainRuntime runtime) : ISiloDiagnostics
{
    public int ActivationCount => runtime.Catalog.Count;

    public long PendingWork => runtime.Work.Pending;

    public Task WaitForQuiescenceAsync(CancellationToken cancellationToken = default) => runtime.Work.WaitForQuiescenceAsync(cancellationToken);
}
