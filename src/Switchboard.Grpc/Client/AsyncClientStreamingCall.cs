using System.Runtime.CompilerServices;

namespace Switchboard.Grpc.Client;

/// <summary>A client-streaming call in flight: write <see cref="RequestStream"/>, complete it, await the response.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, ICallState state)
    {
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
        _state = state;
    }

    /// <summary>The requests; call <see cref="IClientStreamWriter{T}.CompleteAsync"/> after the last.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; fails with <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers (initial metadata).</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The final status; only once the call has finished.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailing metadata; only once the call has finished.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _state.Dispose();
}
