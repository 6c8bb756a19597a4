using Google.Protobuf;

namespace Switchboard.Grpc.Server;

internal sealed class ClientStreamingMethodHandler<TRequest, TResponse>(
    string serviceName,
    string name,
    MessageParser<TRequest> parser,
    Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
    : ServerMethodHandler(serviceName, name, MethodType.ClientStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var response = await handler(new HttpRequestStreamReader<TRequest>(call, parser), call);
        if (call.Status.StatusCode != StatusCode.OK)
        {
            return;
        }

        if (response is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"The handler of {FullName} returned no response message."));
        }

        call.WriteMessage(response);
    }
}
