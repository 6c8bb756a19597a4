using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Grpc.Testing;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.Protocol;

/// <summary>The server against hand-made HTTP requests: the wire format, and bodies no gRPC client would send.</summary>
public sealed class RawProtocolTests : IAsyncLifetime
{
    private const string UnaryPath = "/test.Echo/Unary";

    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(
        e => e.MapGrpcService(Echo(
            unary: (request, _) => request.ResponseStatus is { Code: not 0 } s
                ? throw new RpcException(new Status((StatusCode)s.Code, s.Message))
                : Task.FromResult(new SimpleResponse { Payload = request.Payload }),
            duplex: async (requests, responses, _) =>
            {
                while (await requests.MoveNext())
                {
                    await responses.WriteAsync(new SimpleResponse { Payload = requests.Current.Payload });
                }
            })),
        o => o.MaxReceiveMessageSize = 64 * 1024,
        withHttp1Endpoint: true);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_successful_unary_response_is_headers_one_message_and_status_zero_in_trailers()
    {
        var request = Request("hello").ToByteArray();

        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Header("content-type"));
        Assert.Null(response.Header("grpc-status"));
        Assert.Equal("0", response.Trailer("grpc-status"));
        var expected = new SimpleResponse { Payload = Request("hello").Payload }.ToByteArray();
        Assert.Equal(RawGrpc.Frame(expected), response.Body);
    }

    [Fact]
    public async Task The_grpc_proto_content_type_is_accepted()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame(Request("x").ToByteArray()), contentType: "application/grpc+proto");

        Assert.Equal("0", response.GrpcStatus);
    }

    [Fact]
    public async Task An_early_error_is_sent_trailers_only()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, [0, 0, 0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Header("grpc-status"));
        Assert.Empty(response.Body);
        Assert.Null(response.Trailer("grpc-status"));
    }

    [Fact]
    public async Task A_truncated_length_prefix_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, [0, 0, 0]);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_message_shorter_than_its_length_prefix_fails_with_internal()
    {
        var framed = RawGrpc.Frame(Request("hello").ToByteArray());

        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, framed[..^2]);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_request_without_a_message_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, []);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_second_message_on_a_unary_call_fails_with_internal()
    {
        var framed = RawGrpc.Frame(Request("a").ToByteArray());

        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, [.. framed, .. framed]);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_fails_with_resource_exhausted_before_the_body_is_read()
    {
        // Only the 5-byte header of a 100 MB message: the limit is checked before any body is buffered.
        byte[] header = [0, 0x06, 0x00, 0x00, 0x00];

        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, header);

        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task Garbage_protobuf_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));

        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("deserialize", response.GrpcMessage);
    }

    [Fact]
    public async Task An_undefined_flags_byte_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame(Request("a").ToByteArray(), flags: 2));

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_compressed_message_with_an_unsupported_encoding_fails_with_unimplemented()
    {
        var response = await RawGrpc.PostAsync(
            _host.Address, UnaryPath, RawGrpc.Frame(Request("a").ToByteArray(), flags: 1), headers: [new("grpc-encoding", "snappy")]);

        Assert.Equal("12", response.GrpcStatus);
    }

    [Fact]
    public async Task A_compressed_message_without_an_encoding_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame(Request("a").ToByteArray(), flags: 1));

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task A_gzip_compressed_request_is_decompressed()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            Request("zipped").WriteTo(gzip);
        }

        var response = await RawGrpc.PostAsync(
            _host.Address, UnaryPath, RawGrpc.Frame(compressed.ToArray(), flags: 1), headers: [new("grpc-encoding", "gzip")]);

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("zipped", SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Text());
    }

    [Fact]
    public async Task A_corrupt_gzip_message_fails_with_internal()
    {
        var response = await RawGrpc.PostAsync(
            _host.Address, UnaryPath, RawGrpc.Frame([1, 2, 3, 4, 5, 6, 7, 8], flags: 1), headers: [new("grpc-encoding", "gzip")]);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Garbage_on_a_request_stream_fails_the_call_with_internal_after_the_good_messages()
    {
        var good = RawGrpc.Frame(Request("first").ToByteArray());

        var response = await RawGrpc.PostAsync(_host.Address, "/test.Echo/Duplex", [.. good, .. RawGrpc.Frame([0xff, 0xff, 0xff])]);

        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("first", SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Text());
    }

    [Fact]
    public async Task A_request_stream_that_ends_inside_a_message_fails_with_internal()
    {
        var framed = RawGrpc.Frame(Request("cut").ToByteArray());

        var response = await RawGrpc.PostAsync(_host.Address, "/test.Echo/Duplex", [.. framed, .. framed[..4]]);

        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task An_oversized_message_on_a_request_stream_fails_with_resource_exhausted()
    {
        byte[] header = [0, 0x06, 0x00, 0x00, 0x00];

        var response = await RawGrpc.PostAsync(_host.Address, "/test.Echo/Duplex", header);

        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task The_server_keeps_serving_after_malformed_requests()
    {
        for (var i = 0; i < 20; i++)
        {
            await RawGrpc.PostAsync(_host.Address, "/test.Echo/Duplex", [0, 0, 0, 0, 9, 1, 2]);
            await RawGrpc.PostAsync(_host.Address, UnaryPath, [7, 7, 7, 7, 7, 7, 7]);
        }

        var response = await _host.Channel.AsyncUnaryCall(Unary, Request("still here"));

        Assert.Equal("still here", response.Text());
    }

    [Fact]
    public async Task A_non_grpc_content_type_gets_415()
    {
        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame([]), contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task An_http1_request_gets_426()
    {
        var response = await RawGrpc.PostAsync(_host.Http1Address!, UnaryPath, RawGrpc.Frame([]), version: HttpVersion.Version11);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task A_non_grpc_request_to_an_unknown_path_gets_404()
    {
        var response = await RawGrpc.PostAsync(_host.Address, "/some/page", [], contentType: "text/plain");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_status_message_is_percent_encoded_on_the_wire()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 9, Message = "50% ☺\n" } };

        var response = await RawGrpc.PostAsync(_host.Address, UnaryPath, RawGrpc.Frame(request.ToByteArray()));

        Assert.Equal("9", response.GrpcStatus);
        Assert.Equal("50%25 %E2%98%BA%0A", response.GrpcMessage);
    }

    [Fact]
    public async Task A_header_split_across_data_frames_is_reassembled()
    {
        await using var client = new HttpClientFrames(_host.Address);
        var framed = RawGrpc.Frame(Request("split").ToByteArray());

        // The 5-byte prefix goes out in two DATA frames, then the body in a third.
        var response = await client.PostInChunksAsync(UnaryPath, [framed[..2], framed[2..5], framed[5..]]);

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("split", SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Text());
    }
}
