using Google.Protobuf;
using Switchboard.Grpc;
using Switchboard.Grpc.Client;

namespace Switchboard.Silo.Demo;

/// <summary>The demo's gRPC client: our own <see cref="GrpcChannel"/> over the public API, one API key per caller.</summary>
internal sealed class DemoClient(GrpcChannel channel, string key)
{
    public GrpcChannel Channel { get; } = channel;

    public CallOptions Options(TimeSpan? deadline = null, CancellationToken cancellationToken = default, string? adapterId = null)
    {
        var headers = new Metadata { { "authorization", $"Bearer {key}" } };
        if (adapterId is not null)
        {
            headers.Add("x-switchboard-adapter-id", adapterId);
        }
        return new CallOptions(headers, deadline is { } d ? DateTime.UtcNow + d : null, cancellationToken);
    }

    public Task<TResponse> CallAsync<TRequest, TResponse>(string service, string method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        Channel.AsyncUnaryCall(Method<TRequest, TResponse>(MethodType.Unary, service, method), request, Options(TimeSpan.FromSeconds(10), cancellationToken)).ResponseAsync;

    public static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string service, string method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        new(type, $"switchboard.v1.{service}", method, new MessageParser<TResponse>(() => new TResponse()));
}
