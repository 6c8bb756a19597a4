using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Errors;

/// <summary>
/// The server interceptor around every <c>switchboard.v1</c> call: routing errors become their status
/// (<see cref="RoutingStatusMapping"/>), a cancelled call stays cancelled, and anything else is logged and answered
/// INTERNAL with no internals, so bad input never kills a stream or the silo. It also counts the call in and out of
/// <see cref="GatewayLifetime"/>, which refuses calls while the silo starts or drains.
/// </summary>
internal sealed partial class ErrorBoundary(GatewayLifetime lifetime, ILogger<ErrorBoundary> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, (continuation, request, context), static s => s.continuation(s.request, s.context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, (continuation, requestStream, context), static s => s.continuation(s.requestStream, s.context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, (continuation, request, responseStream, context), static async s =>
        {
            await s.continuation(s.request, s.responseStream, s.context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        GuardAsync(context, (continuation, requestStream, responseStream, context), static async s =>
        {
            await s.continuation(s.requestStream, s.responseStream, s.context);
            return true;
        });

    /// <summary>Runs one call inside the boundary; the call's parts travel as state, so no closure is made per call.</summary>
    private async Task<T> GuardAsync<TState, T>(ServerCallContext context, TState state, Func<TState, Task<T>> handler)
    {
        var counted = Enter(context);
        try
        {
            return await handler(state);
        }
        catch (Exception exception) when (Translate(exception, context) is { } rpc)
        {
            throw rpc;
        }
        finally
        {
            LeaveUnlessCounted(counted);
        }
    }

    /// <summary>
    /// Counts the call in until its response is on the wire, trailers included (so a draining silo stops its server
    /// only after every stream's UNAVAILABLE reached the client). True when the response's completion will count it out.
    /// </summary>
    private bool Enter(ServerCallContext context)
    {
        lifetime.Enter();
        if (context.GetHttpContext() is not { } http)
        {
            return false;
        }

        http.Response.OnCompleted(() =>
        {
            lifetime.Leave();
            return Task.CompletedTask;
        });
        return true;
    }

    private void LeaveUnlessCounted(bool counted)
    {
        if (!counted)
        {
            lifetime.Leave();
        }
    }

    /// <summary>The exception to fail the call with; null to let it through as it is (an RpcException, the caller's cancellation).</summary>
    internal RpcException? Translate(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException)
        {
            return null; // already precise
        }
        if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return null; // the server reports CANCELLED or DEADLINE_EXCEEDED itself
        }
        if (exception is OperationCanceledException && lifetime.Stopping.IsCancellationRequested)
        {
            return GatewayLifetime.Unavailable();
        }
        if (RoutingStatusMapping.Map(exception) is { } status)
        {
            return new RpcException(status);
        }
        Unexpected(context.Method, exception);
        return new RpcException(new Status(StatusCode.Internal, $"internal error in {context.Method}; the server log has the details"));
    }

    [LoggerMessage(9200, LogLevel.Error, "Gateway call {Method} failed unexpectedly")]
    private partial void Unexpected(string method, Exception exception);
}
