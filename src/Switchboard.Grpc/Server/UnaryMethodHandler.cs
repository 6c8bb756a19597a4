using Google.Protobuf;

namespace Switchboard.Grpc.Server;

internal sealed class UnaryMethodHandler<TRequest, TResponse>(
    string serviceName,
    string name,
    MessageParser<TRequest> parser,
    Func<TRequest, ServerCallContext, Task<TResponse>> handler)
    : ServerMethodHandler(serviceName, name, MethodType.Unary)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(parser);
        var response = await handler(request, call);
        if (call.Status.StatusCode != StatusCode.OK)
        {
            return;
        }

        if (response is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"The handler of {FullName} returned no response message."));
        }

        // No flush: Kestrel sends the message and the trailers together when the request delegate returns.
        call.WriteMessage(response);
    }
}
