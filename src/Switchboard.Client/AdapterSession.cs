using Grpc.Core;
using Switchboard.Contracts.V1;

namespace Switchboard.Client;

/// <summary>What an adapter does with one instruction; the outcome it returns is acknowledged to the silo.</summary>
public delegate Task<InstructionAck> InstructionHandler(Instruction instruction, CancellationToken cancellationToken);

/// <summary>
/// A telephony adapter's <c>TelephonyAdapter.Connect</c> stream, kept open: the hello first, then every instruction to
/// the handler and its acknowledgement back. When the stream breaks it reconnects with jittered back-off (100 ms
/// doubling to <see cref="SwitchboardClientOptions.MaxBackoff"/>) and the silo sends again every instruction that was not
/// acknowledged; one the session already acknowledged is acknowledged again without calling the handler. Delivery is
/// at least once: an instruction whose acknowledgement was lost with the stream comes to the handler again. A stream replaced by a newer one for the
/// same adapter (ABORTED) or refused for the key (UNAUTHENTICATED, PERMISSION_DENIED) ends the session: see
/// <see cref="Completion"/>.
/// </summary>
public sealed class AdapterSession : IAsyncDisposable
{
    private const int RememberedInstructions = 4096;

    private readonly SwitchboardClient _client;
    private readonly string _adapterId;
    private readonly string _software;
    private readonly InstructionHandler _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAccepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly Queue<string> _acknowledgedOrder = new();
    private Task _running = Task.CompletedTask;
    private int _connects;
    private int _acknowledgements;

    internal AdapterSession(SwitchboardClient client, string adapterId, string software, InstructionHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterId);
        ArgumentNullException.ThrowIfNull(handler);
        _client = client;
        _adapterId = adapterId;
        _software = software;
        _handler = handler;
    }

    /// <summary>The adapter id the session speaks for.</summary>
    public string AdapterId => _adapterId;

    /// <summary>How many times a stream was accepted: 1 after the start, one more for each reconnect.</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>How many acknowledgements the session has written to a stream.</summary>
    public int Acknowledgements => Volatile.Read(ref _acknowledgements);

    /// <summary>Ends when the session ends: after <see cref="DisposeAsync"/>, or faulted with the status that ended it.</summary>
    public Task Completion => _running;

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        _running = RunAsync(_stop.Token);
        using var registration = cancellationToken.Register(() => _firstAccepted.TrySetCanceled(cancellationToken));
        // The first stream's acceptance, or why the session could not start.
        await Task.WhenAny(_firstAccepted.Task, _running).ConfigureAwait(false);
        if (_running.IsFaulted)
        {
            await _running.ConfigureAwait(false);
        }
        await _firstAccepted.Task.ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ConnectOnceAsync(stop).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException error) when (error.StatusCode is StatusCode.Aborted or StatusCode.Unauthenticated or StatusCode.PermissionDenied
                or StatusCode.InvalidArgument or StatusCode.NotFound)
            {
                // Replaced by a newer stream, or refused for good: reconnecting would be refused again.
                _firstAccepted.TrySetException(error);
                throw;
            }
            catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // UNAVAILABLE (a silo stopping), a lost connection, an ack that could not be written: reconnect.
            }

            var delay = backoff * (0.5 + Random.Shared.NextDouble());
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _client.Options.MaxBackoff.Ticks));
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConnectOnceAsync(CancellationToken stop)
    {
        using var call = _client.TelephonyAdapter.Connect(cancellationToken: stop);
        var writes = new SemaphoreSlim(1, 1);
        await call.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = _adapterId, Software = _software } }, stop).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(stop).ConfigureAwait(false) || call.ResponseStream.Current.Accepted is null)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the Connect stream ended before it was accepted"));
        }
        Interlocked.Increment(ref _connects);
        _firstAccepted.TrySetResult();

        while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
        {
            if (call.ResponseStream.Current.Instruction is not { } instruction)
            {
                continue;
            }
            var ack = Remembered(instruction.InstructionId)
                ? new InstructionAck { InstructionId = instruction.InstructionId, Outcome = AckOutcome.Done }
                : await HandleAsync(instruction, stop).ConfigureAwait(false);
            await writes.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                await call.RequestStream.WriteAsync(new ConnectRequest { Ack = ack }, stop).ConfigureAwait(false);
            }
            finally
            {
                writes.Release();
            }
            Remember(instruction.InstructionId);
            Interlocked.Increment(ref _acknowledgements);
        }
        throw new RpcException(new Status(StatusCode.Unavailable, "the silo ended the Connect stream"));
    }

    private async Task<InstructionAck> HandleAsync(Instruction instruction, CancellationToken stop)
    {
        InstructionAck ack;
        try
        {
            ack = await _handler(instruction, stop).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ack = new InstructionAck { Outcome = AckOutcome.Failed, Failure = AckFailure.Internal, Detail = exception.Message };
        }
        ack.InstructionId = instruction.InstructionId;
        return ack;
    }

    private bool Remembered(string instructionId)
    {
        lock (_acknowledged)
        {
            return _acknowledged.Contains(instructionId);
        }
    }

    private void Remember(string instructionId)
    {
        lock (_acknowledged)
        {
            if (_acknowledged.Add(instructionId))
            {
                _acknowledgedOrder.Enqueue(instructionId);
                if (_acknowledgedOrder.Count > RememberedInstructions)
                {
                    _acknowledged.Remove(_acknowledgedOrder.Dequeue());
                }
            }
        }
    }

    /// <summary>Closes the stream and ends the session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (RpcException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
