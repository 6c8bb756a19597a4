using System.Runtime.ExceptionServices;

namespace Switchboard.Benchmarks.Gateway;

/// <summary>
/// Waits for calls started one by one on the thread pool, without keeping their tasks: a list of every call's task
/// would be an old object pointing at young ones until the run ends, garbage-collector work that is the load
/// generator's, not the silo's. The first failure is rethrown by <see cref="WhenAllAsync"/>.
/// </summary>
internal sealed class Outstanding
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1;
    private Exception? _failure;

    public void Run(Func<Task> call)
    {
        Interlocked.Increment(ref _count);
        _ = Task.Run(() => RunAsync(call));
    }

    /// <summary>Completes when every call started so far has finished; start no more after calling it.</summary>
    public async Task WhenAllAsync()
    {
        Leave();
        await _done.Task;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task RunAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception error)
        {
            Interlocked.CompareExchange(ref _failure, error, null);
        }
        finally
        {
            Leave();
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _done.TrySetResult();
        }
    }
}
