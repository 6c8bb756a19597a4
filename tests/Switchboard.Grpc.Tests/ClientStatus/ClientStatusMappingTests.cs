using System.Net;
using System.Net.Sockets;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.ClientStatus;

/// <summary>How the client turns what it receives (or fails to) into a status.</summary>
public sealed class ClientStatusMappingTests : IAsyncLifetime
{
    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(e =>
    {
        e.MapGrpcService(Echo(unary: async (request, context) =>
        {
            // The request's response_size picks the HTTP/2 error code of a RST_STREAM.
            context.GetHttpContext()!.Features.Get<IHttpResetFeature>()!.Reset(request.ResponseSize);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SimpleResponse();
        }));
        e.MapPost("/http/{code:int}", (int code, HttpContext http) => http.Response.StatusCode = code);
        e.MapPost("/text/Plain", (HttpContext http) => http.Response.WriteAsync("not grpc"));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(431, StatusCode.Internal)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    public async Task A_response_without_grpc_status_is_mapped_from_its_http_status(int httpStatus, StatusCode expected)
    {
        var method = new Method<SimpleRequest, SimpleResponse>(MethodType.Unary, "http", httpStatus.ToString(), SimpleResponse.Parser);

        var error = await ExpectRpcErrorAsync(() => _host.Channel.AsyncUnaryCall(method, Request("m")).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
    }

    [Theory]
    [InlineData(0x8, StatusCode.Cancelled)]
    [InlineData(0x7, StatusCode.Unavailable)]
    [InlineData(0xB, StatusCode.ResourceExhausted)]
    [InlineData(0x2, StatusCode.Internal)]
    public async Task A_stream_reset_by_the_server_is_mapped_from_its_error_code(int errorCode, StatusCode expected)
    {
        var error = await ExpectRpcErrorAsync(() => _host.Channel.AsyncUnaryCall(Unary, new SimpleRequest { ResponseSize = errorCode }).ResponseAsync);

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task A_response_that_is_not_grpc_fails_with_internal()
    {
        var method = new Method<SimpleRequest, SimpleResponse>(MethodType.Unary, "text", "Plain", SimpleResponse.Parser);

        var error = await ExpectRpcErrorAsync(() => _host.Channel.AsyncUnaryCall(method, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("content-type", error.Status.Detail);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_with_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        var error = await ExpectRpcErrorAsync(() => channel.AsyncUnaryCall(Unary, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Status_and_trailers_are_not_available_before_the_call_ends()
    {
        using var call = _host.Channel.AsyncUnaryCall(Unary, new SimpleRequest { ResponseSize = 0x8 });

        // Asking early is a programming error, not a status: it must not invent one.
        if (!call.ResponseAsync.IsCompleted)
        {
            Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        }

        await ExpectRpcErrorAsync(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }
}
