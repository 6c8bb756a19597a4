using Google.Protobuf;
using Grpc.Testing;
using Switchboard.Grpc.Client;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>
/// The client side of grpc/grpc doc/interop-test-descriptions.md, run with Switchboard's own client;
/// tests/interop/interop_client.js and interop_client.py run the same cases with grpc-js and grpcio.
/// </summary>
public static class InteropCases
{
    public const string Service = "grpc.testing.TestService";

    public static readonly Method<Empty, Empty> EmptyCall = new(MethodType.Unary, Service, "EmptyCall", Empty.Parser);
    public static readonly Method<SimpleRequest, SimpleResponse> UnaryCall = new(MethodType.Unary, Service, "UnaryCall", SimpleResponse.Parser);
    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCall = new(MethodType.ServerStreaming, Service, "StreamingOutputCall", StreamingOutputCallResponse.Parser);
    public static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCall = new(MethodType.ClientStreaming, Service, "StreamingInputCall", StreamingInputCallResponse.Parser);
    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCall = new(MethodType.DuplexStreaming, Service, "FullDuplexCall", StreamingOutputCallResponse.Parser);
    public static readonly Method<Empty, Empty> UnimplementedCall = new(MethodType.Unary, Service, "UnimplementedCall", Empty.Parser);
    public static readonly Method<Empty, Empty> UnimplementedServiceCall = new(MethodType.Unary, "grpc.testing.UnimplementedService", "UnimplementedCall", Empty.Parser);

    public static readonly IReadOnlyDictionary<string, Func<GrpcChannel, Task>> All = new Dictionary<string, Func<GrpcChannel, Task>>
    {
        ["empty_unary"] = EmptyUnaryAsync,
        ["large_unary"] = LargeUnaryAsync,
        ["client_streaming"] = ClientStreamingAsync,
        ["server_streaming"] = ServerStreamingAsync,
        ["ping_pong"] = PingPongAsync,
        ["empty_stream"] = EmptyStreamAsync,
        ["custom_metadata"] = CustomMetadataAsync,
        ["status_code_and_message"] = StatusCodeAndMessageAsync,
        ["special_status_message"] = SpecialStatusMessageAsync,
        ["unimplemented_method"] = UnimplementedMethodAsync,
        ["unimplemented_service"] = UnimplementedServiceAsync,
        ["cancel_after_begin"] = CancelAfterBeginAsync,
        ["cancel_after_first_response"] = CancelAfterFirstResponseAsync,
        ["timeout_on_sleeping_server"] = TimeoutOnSleepingServerAsync,
    };

    private static readonly int[] RequestSizes = [27182, 8, 1828, 45904];
    private static readonly int[] ResponseSizes = [31415, 9, 2653, 58979];

    private static async Task EmptyUnaryAsync(GrpcChannel channel)
    {
        var response = await channel.AsyncUnaryCall(EmptyCall, new Empty());
        Check(response.CalculateSize() == 0, "EmptyCall answered a non-empty message");
    }

    private static async Task LargeUnaryAsync(GrpcChannel channel)
    {
        var response = await channel.AsyncUnaryCall(UnaryCall, new SimpleRequest { ResponseSize = 314159, Payload = Payload(271828) });
        Check(response.Payload.Body.Length == 314159, $"payload of {response.Payload.Body.Length} bytes, expected 314159");
        Check(response.Payload.Body.All(b => b == 0), "payload is not all zeros");
    }

    private static async Task ClientStreamingAsync(GrpcChannel channel)
    {
        using var call = channel.AsyncClientStreamingCall(StreamingInputCall);
        foreach (var size in RequestSizes)
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Payload(size) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;
        Check(response.AggregatedPayloadSize == 74922, $"aggregate {response.AggregatedPayloadSize}, expected 74922");
    }

    private static async Task ServerStreamingAsync(GrpcChannel channel)
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(ResponseSizes.Select(s => new ResponseParameters { Size = s }));
        using var call = channel.AsyncServerStreamingCall(StreamingOutputCall, request);
        var sizes = new List<int>();
        while (await call.ResponseStream.MoveNext())
        {
            sizes.Add(call.ResponseStream.Current.Payload.Body.Length);
        }

        Check(sizes.SequenceEqual(ResponseSizes), $"sizes {string.Join(",", sizes)}");
        Check(call.GetStatus().StatusCode == StatusCode.OK, "status not OK");
    }

    private static async Task PingPongAsync(GrpcChannel channel)
    {
        using var call = channel.AsyncDuplexStreamingCall(FullDuplexCall);
        for (var i = 0; i < 4; i++)
        {
            await call.RequestStream.WriteAsync(OutputRequest(ResponseSizes[i], RequestSizes[i]));
            Check(await call.ResponseStream.MoveNext(), $"no response in round {i}");
            Check(call.ResponseStream.Current.Payload.Body.Length == ResponseSizes[i], $"round {i}: {call.ResponseStream.Current.Payload.Body.Length} bytes");
        }

        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(), "a response after the last round");
    }

    private static async Task EmptyStreamAsync(GrpcChannel channel)
    {
        using var call = channel.AsyncDuplexStreamingCall(FullDuplexCall);
        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(), "a response to an empty stream");
    }

    private static async Task CustomMetadataAsync(GrpcChannel channel)
    {
        var trailing = new byte[] { 0xab, 0xab, 0xab };
        var headers = new Metadata { { "x-grpc-test-echo-initial", "test_initial_metadata_value" }, { "x-grpc-test-echo-trailing-bin", trailing } };

        using (var unary = channel.AsyncUnaryCall(UnaryCall, new SimpleRequest { ResponseSize = 314159, Payload = Payload(271828) }, new CallOptions(headers)))
        {
            await unary;
            Check((await unary.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial") == "test_initial_metadata_value", "unary: initial metadata not echoed");
            Check(unary.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin")?.SequenceEqual(trailing) == true, "unary: trailing metadata not echoed");
        }

        using var duplex = channel.AsyncDuplexStreamingCall(FullDuplexCall, new CallOptions(headers));
        await duplex.RequestStream.WriteAsync(OutputRequest(314159, 271828));
        await duplex.RequestStream.CompleteAsync();
        Check((await duplex.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial") == "test_initial_metadata_value", "duplex: initial metadata not echoed");
        while (await duplex.ResponseStream.MoveNext())
        {
        }

        Check(duplex.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin")?.SequenceEqual(trailing) == true, "duplex: trailing metadata not echoed");
    }

    private static async Task StatusCodeAndMessageAsync(GrpcChannel channel)
    {
        const string message = "test status message";
        var unary = await ExpectRpcErrorAsync(async () => await channel.AsyncUnaryCall(UnaryCall, new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } }));
        Check(unary.StatusCode == StatusCode.Unknown && unary.Status.Detail == message, $"unary: {unary.Status}");

        using var duplex = channel.AsyncDuplexStreamingCall(FullDuplexCall);
        await duplex.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } });
        await duplex.RequestStream.CompleteAsync();
        var streamed = await ExpectRpcErrorAsync(async () => await duplex.ResponseStream.MoveNext());
        Check(streamed.StatusCode == StatusCode.Unknown && streamed.Status.Detail == message, $"duplex: {streamed.Status}");
    }

    private static async Task SpecialStatusMessageAsync(GrpcChannel channel)
    {
        const string message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
        var error = await ExpectRpcErrorAsync(async () => await channel.AsyncUnaryCall(UnaryCall, new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } }));
        Check(error.StatusCode == StatusCode.Unknown && error.Status.Detail == message, $"got {error.Status}");
    }

    private static async Task UnimplementedMethodAsync(GrpcChannel channel)
    {
        var error = await ExpectRpcErrorAsync(async () => await channel.AsyncUnaryCall(UnimplementedCall, new Empty()));
        Check(error.StatusCode == StatusCode.Unimplemented, $"got {error.Status}");
    }

    private static async Task UnimplementedServiceAsync(GrpcChannel channel)
    {
        var error = await ExpectRpcErrorAsync(async () => await channel.AsyncUnaryCall(UnimplementedServiceCall, new Empty()));
        Check(error.StatusCode == StatusCode.Unimplemented, $"got {error.Status}");
    }

    private static async Task CancelAfterBeginAsync(GrpcChannel channel)
    {
        using var cancellation = new CancellationTokenSource();
        using var call = channel.AsyncClientStreamingCall(StreamingInputCall, new CallOptions(cancellationToken: cancellation.Token));
        cancellation.Cancel();
        var error = await ExpectRpcErrorAsync(async () => await call.ResponseAsync);
        Check(error.StatusCode == StatusCode.Cancelled, $"got {error.Status}");
    }

    private static async Task CancelAfterFirstResponseAsync(GrpcChannel channel)
    {
        using var cancellation = new CancellationTokenSource();
        using var call = channel.AsyncDuplexStreamingCall(FullDuplexCall, new CallOptions(cancellationToken: cancellation.Token));
        await call.RequestStream.WriteAsync(OutputRequest(31415, 27182));
        Check(await call.ResponseStream.MoveNext(), "no first response");
        cancellation.Cancel();
        var error = await ExpectRpcErrorAsync(async () => await call.ResponseStream.MoveNext());
        Check(error.StatusCode == StatusCode.Cancelled, $"got {error.Status}");
    }

    private static async Task TimeoutOnSleepingServerAsync(GrpcChannel channel)
    {
        using var call = channel.AsyncDuplexStreamingCall(FullDuplexCall, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(1)));
        try
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Payload(27182) });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            // The deadline may pass before the write: that is the same outcome.
        }

        var error = await ExpectRpcErrorAsync(async () => await call.ResponseStream.MoveNext());
        Check(error.StatusCode == StatusCode.DeadlineExceeded, $"got {error.Status}");
    }

    private static StreamingOutputCallRequest OutputRequest(int responseSize, int payloadSize)
    {
        var request = new StreamingOutputCallRequest { Payload = Payload(payloadSize) };
        request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
        return request;
    }

    private static Payload Payload(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    private static async Task<RpcException> ExpectRpcErrorAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RpcException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("expected the call to fail with an RpcException, but it succeeded");
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}
