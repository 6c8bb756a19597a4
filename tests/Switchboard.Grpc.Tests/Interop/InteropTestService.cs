using Google.Protobuf;
using Grpc.Testing;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>
/// grpc.testing.TestService as grpc/grpc doc/interop-test-descriptions.md describes the server side.
/// UnimplementedCall is deliberately not registered: the unimplemented_method case expects UNIMPLEMENTED.
/// </summary>
public static class InteropTestService
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public static GrpcServiceDefinition Create() =>
        GrpcServiceDefinition.CreateBuilder(TestReflection.Descriptor.Services.Single(s => s.Name == "TestService"))
            .AddUnaryMethod<Empty, Empty>("EmptyCall", Empty.Parser, (_, _) => Task.FromResult(new Empty()))
            .AddUnaryMethod<SimpleRequest, SimpleResponse>("UnaryCall", SimpleRequest.Parser, UnaryCallAsync)
            .AddUnaryMethod<SimpleRequest, SimpleResponse>("CacheableUnaryCall", SimpleRequest.Parser, UnaryCallAsync)
            .AddServerStreamingMethod<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", StreamingOutputCallRequest.Parser, StreamingOutputCallAsync)
            .AddClientStreamingMethod<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", StreamingInputCallRequest.Parser, StreamingInputCallAsync)
            .AddDuplexStreamingMethod<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall", StreamingOutputCallRequest.Parser, FullDuplexCallAsync)
            .Build();

    private static async Task<SimpleResponse> UnaryCallAsync(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        ThrowIfStatusRequested(request.ResponseStatus);
        return new SimpleResponse { Payload = Payload(request.ResponseSize) };
    }

    private static async Task StreamingOutputCallAsync(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
            }

            await responses.WriteAsync(new StreamingOutputCallResponse { Payload = Payload(parameters.Size) });
        }

        ThrowIfStatusRequested(request.ResponseStatus);
    }

    private static async Task<StreamingInputCallResponse> StreamingInputCallAsync(IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
    {
        var total = 0;
        while (await requests.MoveNext(context.CancellationToken))
        {
            total += requests.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    private static async Task FullDuplexCallAsync(
        IAsyncStreamReader<StreamingOutputCallRequest> requests,
        IServerStreamWriter<StreamingOutputCallResponse> responses,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        while (await requests.MoveNext(context.CancellationToken))
        {
            var request = requests.Current;
            ThrowIfStatusRequested(request.ResponseStatus);
            foreach (var parameters in request.ResponseParameters)
            {
                if (parameters.IntervalUs > 0)
                {
                    await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken);
                }

                await responses.WriteAsync(new StreamingOutputCallResponse { Payload = Payload(parameters.Size) });
            }
        }
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var initial = context.RequestHeaders.Get(EchoInitialKey);
        if (initial is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { initial });
        }

        var trailing = context.RequestHeaders.Get(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static Payload Payload(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}
