using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc;
using Switchboard.Gateway.Hosting;
using Switchboard.Grpc.Server;

namespace Switchboard.Gateway.Errors;

/// <summary>
/// Wraps every gateway handler: routing errors become their status (<see cref="RoutingStatusMapping"/>),
/// a cancelled call stays cancelled, and anything else is logged and answered INTERNAL with no internals,
/// so bad input never kills a stream or the silo.
/// </summary>
internal sealed partial class ErrorBoundary(GatewayLifetime lifetime, ILogger<ErrorBoundary> logger)
{
    public Func<TRequest, ServerCallContext, Task<TResponse>> Unary<TRequest, TResponse>(Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        async (request, context) =>
        {
            var counted = Enter(context);
            try
            {
                return await handler(request, context);
            }
            catch (Exception exception) when (Translate(exception, context) is { } rpc)
            {
                throw rpc;
            }
            finally
            {
                LeaveUnlessCounted(counted);
            }
        };

    public Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> ServerStreaming<TRequest, TResponse>(
        Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        async (request, responses, context) =>
        {
            var counted = Enter(context);
            try
            {
                await handler(request, responses, context);
            }
            catch (Exception exception) when (Translate(exception, context) is { } rpc)
            {
                throw rpc;
            }
            finally
            {
                LeaveUnlessCounted(counted);
            }
        };

    public Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> Duplex<TRequest, TResponse>(
        Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        async (requests, responses, context) =>
        {
            var counted = Enter(context);
            try
            {
                await handler(requests, responses, context);
            }
            catch (Exception exception) when (Translate(exception, context) is { } rpc)
            {
                throw rpc;
            }
            finally
            {
                LeaveUnlessCounted(counted);
            }
        };

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
