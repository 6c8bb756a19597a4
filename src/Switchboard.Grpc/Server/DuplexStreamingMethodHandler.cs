using Google.Protobuf;

namespace Switchboard.Grpc.Server;

internal sealed class DuplexStreamingMethodHandler<TRequest, TResponse>(
    string serviceName,
    string name,
    MessageParser<TRequest> parser,
    Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
    : ServerMethodHandler(serviceName, name, MethodType.DuplexStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override Task HandleCallAsync(HttpServerCallContext call) =>
        handler(new HttpRequestStreamReader<TRequest>(call, parser), new HttpResponseStreamWriter<TResponse>(call), call);
}
