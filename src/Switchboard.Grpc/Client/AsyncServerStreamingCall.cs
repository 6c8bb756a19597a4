namespace Switchboard.Grpc.Client;

/// <summary>A server-streaming call in flight: read <see cref="ResponseStream"/>; dispose to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, ICallState state)
    {
        ResponseStream = responseStream;
        _state = state;
    }

    /// <summary>The responses; MoveNext fails with <see cref="RpcException"/> when the call ends non-OK.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers (initial metadata).</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>The final status; only once the stream has been read to the end.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailing metadata; only once the stream has been read to the end.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}
