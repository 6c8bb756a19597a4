namespace Switchboard.Grpc.Client;

/// <summary>A bidirectional call in flight: write <see cref="RequestStream"/> and read <see cref="ResponseStream"/> independently.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, ICallState state)
    {
        RequestStream = requestStream;
        ResponseStream = responseStream;
        _state = state;
    }

    /// <summary>The requests; call <see cref="IClientStreamWriter{T}.CompleteAsync"/> after the last.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses; MoveNext fails with <see cref="RpcException"/> when the call ends non-OK.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers (initial metadata).</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>The final status; only once the response stream has been read to the end.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailing metadata; only once the response stream has been read to the end.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}
