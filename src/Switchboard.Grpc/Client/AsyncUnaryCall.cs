using System.Runtime.CompilerServices;

namespace Switchboard.Grpc.Client;

/// <summary>A unary call in flight. Await it for the response; dispose it to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncUnaryCall(Task<TResponse> responseAsync, ICallState state)
    {
        ResponseAsync = responseAsync;
        _state = state;
    }

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
