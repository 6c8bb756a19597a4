using Google.Protobuf;
using Grpc.Testing;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Tests.Infrastructure;

/// <summary>A small service, <c>test.Echo</c>, whose handlers each test supplies; and client methods for it.</summary>
public static class TestServices
{
    public const string EchoService = "test.Echo";

    public static readonly Method<SimpleRequest, SimpleResponse> Unary = new(MethodType.Unary, EchoService, "Unary", SimpleResponse.Parser);
    public static readonly Method<SimpleRequest, SimpleResponse> ServerStream = new(MethodType.ServerStreaming, EchoService, "ServerStream", SimpleResponse.Parser);
    public static readonly Method<SimpleRequest, SimpleResponse> ClientStream = new(MethodType.ClientStreaming, EchoService, "ClientStream", SimpleResponse.Parser);
    public static readonly Method<SimpleRequest, SimpleResponse> Duplex = new(MethodType.DuplexStreaming, EchoService, "Duplex", SimpleResponse.Parser);

    public static Func<SimpleRequest, ServerCallContext, Task<SimpleResponse>> EchoUnary { get; } =
        (request, _) => Task.FromResult(new SimpleResponse { Payload = request.Payload });

    public static GrpcServiceDefinition Echo(
        Func<SimpleRequest, ServerCallContext, Task<SimpleResponse>>? unary = null,
        Func<SimpleRequest, IServerStreamWriter<SimpleResponse>, ServerCallContext, Task>? serverStream = null,
        Func<IAsyncStreamReader<SimpleRequest>, ServerCallContext, Task<SimpleResponse>>? clientStream = null,
        Func<IAsyncStreamReader<SimpleRequest>, IServerStreamWriter<SimpleResponse>, ServerCallContext, Task>? duplex = null)
    {
        var builder = GrpcServiceDefinition.CreateBuilder(EchoService)
            .AddUnaryMethod("Unary", SimpleRequest.Parser, unary ?? EchoUnary);
        if (serverStream is not null)
        {
            builder.AddServerStreamingMethod("ServerStream", SimpleRequest.Parser, serverStream);
        }

        if (clientStream is not null)
        {
            builder.AddClientStreamingMethod("ClientStream", SimpleRequest.Parser, clientStream);
        }

        if (duplex is not null)
        {
            builder.AddDuplexStreamingMethod("Duplex", SimpleRequest.Parser, duplex);
        }

        return builder.Build();
    }

    public static SimpleRequest Request(string text) => new() { Payload = new Payload { Body = ByteString.CopyFromUtf8(text) } };

    public static SimpleRequest Request(int size) => new() { Payload = new Payload { Body = ByteString.CopyFrom(new byte[size]) } };

    public static string Text(this SimpleResponse response) => response.Payload?.Body.ToStringUtf8() ?? string.Empty;

    public static async Task<RpcException> ExpectRpcErrorAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RpcException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("Expected the call to fail with an RpcException, but it succeeded.");
    }

    /// <summary>Waits for a signal from the server side; the limit only guards against a hung test run.</summary>
    public static Task<T> Within<T>(this TaskCompletionSource<T> source) => source.Task.WaitAsync(TimeSpan.FromSeconds(20));
}
