using Grpc.Testing;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.Protocol;

/// <summary>Message size limits on both ends: RESOURCE_EXHAUSTED, never a crash or an unbounded buffer.</summary>
public sealed class MessageLimitTests
{
    [Fact]
    public async Task A_message_larger_than_the_default_receive_limit_fails_with_resource_exhausted()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()));

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request(4 * 1024 * 1024)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_message_just_under_the_default_receive_limit_is_accepted()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (request, _) =>
            Task.FromResult(new SimpleResponse { Username = request.Payload.Body.Length.ToString() }))));

        // 4 MiB minus the few bytes of protobuf tags and lengths around the payload.
        var response = await host.Channel.AsyncUnaryCall(Unary, Request((4 * 1024 * 1024) - 16));

        Assert.Equal(((4 * 1024 * 1024) - 16).ToString(), response.Username);
    }

    [Fact]
    public async Task The_receive_limit_is_configurable()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()), o => o.MaxReceiveMessageSize = 1024);

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request(2000)).ResponseAsync);
        var small = await host.Channel.AsyncUnaryCall(Unary, Request(500));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(500, small.Payload.Body.Length);
    }

    [Fact]
    public async Task A_streamed_request_over_the_limit_fails_the_stream_with_resource_exhausted()
    {
        await using var host = await GrpcTestHost.StartAsync(
            e => e.MapGrpcService(Echo(clientStream: async (requests, _) =>
            {
                while (await requests.MoveNext())
                {
                }

                return new SimpleResponse();
            })),
            o => o.MaxReceiveMessageSize = 1024);
        using var call = host.Channel.AsyncClientStreamingCall(ClientStream);

        await call.RequestStream.WriteAsync(Request(100));
        try
        {
            await call.RequestStream.WriteAsync(Request(5000));
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may end the call before the write completes; the response carries the status either way.
        }

        var error = await ExpectRpcErrorAsync(() => call.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_response_larger_than_the_clients_receive_limit_fails_with_resource_exhausted()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()));
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var error = await ExpectRpcErrorAsync(() => channel.AsyncUnaryCall(Unary, Request(2000)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_request_over_the_clients_send_limit_fails_without_reaching_the_server()
    {
        var calls = 0;
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (request, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new SimpleResponse());
        })));
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });

        var error = await ExpectRpcErrorAsync(() => channel.AsyncUnaryCall(Unary, Request(2000)).ResponseAsync);
        await channel.AsyncUnaryCall(Unary, Request(10));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_response_over_the_servers_send_limit_fails_with_resource_exhausted()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()), o => o.MaxSendMessageSize = 1000);

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request(2000)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }
}
