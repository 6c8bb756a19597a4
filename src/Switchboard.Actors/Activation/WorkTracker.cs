namespace Switchboard.Actors.Activation;

/// <summary>
/// Counts the work the runtime holds: queued and running turns, posted continuations. Zero means quiescent:
/// nothing will happen until a caller, a timer or I/O starts something. The simulator waits for it between
/// steps of its virtual clock.
/// </summary>
internal sealed class WorkTracker
{
    private long _pending;
    private TaskCompletionSource? _idle;

    internal long Pending => Volatile.Read(ref _pending);

    internal void Added() => Interlocked.Increment(ref _pending);

    internal void Done(int count = 1)
    {
        if (count == 0)
        {
            return;
        }
        if (Interlocked.Add(ref _pending, -count) == 0)
        {
            Interlocked.Exchange(ref _idle, null)?.TrySetResult();
        }
    }

    internal async Task WaitForQuiescenceAsync(CancellationToken cancellationToken)
    {
        while (Pending != 0)
        {
            var idle = Volatile.Read(ref _idle);
            if (idle is null)
            {
                var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = Interlocked.CompareExchange(ref _idle, created, null) ?? created;
            }
            if (Pending == 0)
            {
                return;
            }
            await idle.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
