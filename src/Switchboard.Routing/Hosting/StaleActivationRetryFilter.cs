using Orleans.Storage;

namespace Switchboard.Routing.Hosting;

/// <summary>
/// Fencing, on the caller's side: a call from outside any grain (the gateway serving an adapter, a desk, an admin) that
/// a stale activation refused (<see cref="StaleActivationFilter"/>) is sent once more, to the fresh activation that reads
/// the state the other writer left. The refused call changed nothing, so the retry applies the operation once.
/// </summary>
internal sealed class StaleActivationRetryFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (InconsistentStateException) when (context.SourceContext is null)
        {
            await context.Invoke();
        }
    }
}
