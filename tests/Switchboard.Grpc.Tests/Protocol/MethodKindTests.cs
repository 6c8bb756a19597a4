using Google.Protobuf;
using Grpc.Testing;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Server;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.Protocol;

/// <summary>The four kinds of method, and metadata, through Switchboard's client and server.</summary>
public sealed class MethodKindTests : IAsyncLifetime
{
    private GrpcTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(
            unary: async (request, context) =>
            {
                // Echo every request metadata entry back in the trailers, and one in the headers.
                foreach (var entry in context.RequestHeaders)
                {
                    if (entry.Key.StartsWith("x-echo", StringComparison.Ordinal))
                    {
                        context.ResponseTrailers.Add(entry);
                    }
                }

                if (context.RequestHeaders.GetValue("x-echo-header") is { } header)
                {
                    await context.WriteResponseHeadersAsync(new Metadata { { "x-echoed-header", header } });
                }

                return new SimpleResponse { Payload = request.Payload };
            },
            serverStream: async (request, responses, context) =>
            {
                for (var i = 0; i < request.ResponseSize; i++)
                {
                    await responses.WriteAsync(new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8($"m{i}") } });
                }
            },
            clientStream: async (requests, context) =>
            {
                var texts = new List<string>();
                while (await requests.MoveNext())
                {
                    texts.Add(requests.Current.Payload.Body.ToStringUtf8());
                }

                return new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(string.Join(",", texts)) } };
            },
            duplex: async (requests, responses, context) =>
            {
                while (await requests.MoveNext())
                {
                    await responses.WriteAsync(new SimpleResponse { Payload = requests.Current.Payload });
                }
            })));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_unary_call_returns_the_handlers_response()
    {
        var response = await _host.Channel.AsyncUnaryCall(Unary, Request("hello"));

        Assert.Equal("hello", response.Text());
    }

    [Fact]
    public async Task A_unary_call_ends_with_status_ok()
    {
        using var call = _host.Channel.AsyncUnaryCall(Unary, Request("hello"));
        await call;

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_server_streaming_call_delivers_every_message_in_order()
    {
        using var call = _host.Channel.AsyncServerStreamingCall(ServerStream, new SimpleRequest { ResponseSize = 200 });
        var texts = new List<string>();
        while (await call.ResponseStream.MoveNext())
        {
            texts.Add(call.ResponseStream.Current.Text());
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), texts);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_server_stream_without_messages_ends_ok()
    {
        using var call = _host.Channel.AsyncServerStreamingCall(ServerStream, new SimpleRequest { ResponseSize = 0 });

        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_client_streaming_call_sees_every_request_before_answering()
    {
        using var call = _host.Channel.AsyncClientStreamingCall(ClientStream);
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(Request(text));
        }

        await call.RequestStream.CompleteAsync();

        Assert.Equal("a,b,c", (await call).Text());
    }

    [Fact]
    public async Task A_client_stream_without_requests_is_answered()
    {
        using var call = _host.Channel.AsyncClientStreamingCall(ClientStream);
        await call.RequestStream.CompleteAsync();

        Assert.Equal(string.Empty, (await call).Text());
    }

    [Fact]
    public async Task A_bidirectional_call_answers_each_request_before_the_next_is_sent()
    {
        using var call = _host.Channel.AsyncDuplexStreamingCall(Duplex);
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(Request($"ping {i}"));
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal($"ping {i}", call.ResponseStream.Current.Text());
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Many_concurrent_calls_share_one_channel()
    {
        var calls = Enumerable.Range(0, 500)
            .Select(async i => (i, (await _host.Channel.AsyncUnaryCall(Unary, Request($"call {i}"))).Text()))
            .ToList();

        foreach (var (i, text) in await Task.WhenAll(calls))
        {
            Assert.Equal($"call {i}", text);
        }
    }

    [Fact]
    public async Task Request_metadata_reaches_the_handler_including_binary_values()
    {
        var bytes = new byte[] { 0, 1, 2, 0xfe, 0xff };
        var headers = new Metadata { { "x-echo-text", "plain value" }, { "x-echo-data-bin", bytes } };
        using var call = _host.Channel.AsyncUnaryCall(Unary, Request("m"), new CallOptions(headers));
        await call;

        var trailers = call.GetTrailers();
        Assert.Equal("plain value", trailers.GetValue("x-echo-text"));
        Assert.Equal(bytes, trailers.GetValueBytes("x-echo-data-bin"));
    }

    [Fact]
    public async Task Response_headers_written_by_the_handler_reach_the_client()
    {
        using var call = _host.Channel.AsyncUnaryCall(Unary, Request("m"), new CallOptions(new Metadata { { "x-echo-header", "v1" } }));
        await call;

        Assert.Equal("v1", (await call.ResponseHeadersAsync).GetValue("x-echoed-header"));
    }
}
