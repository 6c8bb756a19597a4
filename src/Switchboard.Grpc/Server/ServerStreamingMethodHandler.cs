using Google.Protobuf;

namespace Switchboard.Grpc.Server;

internal sealed class ServerStreamingMethodHandler<TRequest, TResponse>(
    string serviceName,
    string name,
    MessageParser<TRequest> parser,
    Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
    : ServerMethodHandler(serviceName, name, MethodType.ServerStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleCallAsync(HttpServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(parser);
        await handler(request, new HttpResponseStreamWriter<TResponse>(call), call);
    }
}
