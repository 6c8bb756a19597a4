using Grpc.Core;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Whether the gateway takes calls, and the calls it is serving. The silo's lifecycle opens it after the
/// grains started and drains it before they stop: new calls then get UNAVAILABLE, long-lived streams end
/// with UNAVAILABLE (clients reconnect to another silo), and the stop waits for open calls to finish.
/// </summary>
public sealed class GatewayLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private volatile bool _serving;

    /// <summary>True between start-up and the beginning of a graceful stop.</summary>
    public bool IsServing => _serving;

    /// <summary>Cancelled when the gateway starts draining: streams end with UNAVAILABLE.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The number of calls being served now.</summary>
    public int OpenCalls => Volatile.Read(ref _open);

    internal void Open() => _serving = true;

    /// <summary>Counts a call in; UNAVAILABLE when the gateway is not serving.</summary>
    internal void Enter()
    {
        Interlocked.Increment(ref _open);
        if (!_serving)
        {
            Leave();
            throw new RpcException(new Status(StatusCode.Unavailable,
                _stopping.IsCancellationRequested ? "this silo is stopping; reconnect to another silo" : "this silo is starting; retry shortly"));
        }
    }

    internal void Leave()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Stops taking calls, ends streams, and waits (up to <paramref name="timeout"/>) for open calls to finish.</summary>
    internal async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _serving = false;
        await _stopping.CancelAsync();
        if (Volatile.Read(ref _open) == 0)
        {
            return true;
        }
        try
        {
            await _drained.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The UNAVAILABLE status a stream ends with when the silo stops.</summary>
    internal static RpcException Unavailable() =>
        new(new Status(StatusCode.Unavailable, "this silo is stopping; reconnect at once, to any silo"));

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();
}
