using Grpc.Testing;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.Protocol;

/// <summary>grpc-timeout deadlines and client cancellation, seen from both ends.</summary>
public sealed class DeadlineAndCancellationTests
{
    [Fact]
    public async Task A_call_past_its_deadline_fails_with_deadline_exceeded_and_the_handler_is_cancelled()
    {
        var handlerCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: async (_, context) =>
        {
            await using var registration = context.CancellationToken.Register(() => handlerCancelled.TrySetResult(true));
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SimpleResponse();
        })));

        var error = await ExpectRpcErrorAsync(() =>
            host.Channel.AsyncUnaryCall(Unary, Request("m"), new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(200))).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(await handlerCancelled.Within());
    }

    [Fact]
    public async Task The_server_answers_deadline_exceeded_when_its_handler_overruns_the_timeout()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: async (_, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new SimpleResponse();
        })));

        // Raw, so no client-side deadline races the server's: the status must come from the server.
        var response = await RawGrpc.PostAsync(host.Address, "/test.Echo/Unary", RawGrpc.Frame([]), headers: [new("grpc-timeout", "100m")]);

        Assert.Equal("4", response.GrpcStatus);
    }

    [Fact]
    public async Task The_handler_sees_the_deadline_the_client_sent()
    {
        var seen = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (_, context) =>
        {
            seen.TrySetResult(context.Deadline);
            return Task.FromResult(new SimpleResponse());
        })));
        var deadline = DateTime.UtcNow.AddMinutes(10);

        await host.Channel.AsyncUnaryCall(Unary, Request("m"), new CallOptions(deadline: deadline));

        var serverDeadline = await seen.Within();
        Assert.InRange(serverDeadline, deadline.AddMinutes(-1), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task A_call_without_a_deadline_has_none_on_the_server()
    {
        var seen = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (_, context) =>
        {
            seen.TrySetResult(context.Deadline);
            return Task.FromResult(new SimpleResponse());
        })));

        await host.Channel.AsyncUnaryCall(Unary, Request("m"));

        Assert.Equal(DateTime.MaxValue, await seen.Within());
    }

    [Fact]
    public async Task An_invalid_grpc_timeout_is_ignored()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()));

        var response = await RawGrpc.PostAsync(host.Address, "/test.Echo/Unary", RawGrpc.Frame([]), headers: [new("grpc-timeout", "123456789S")]);

        Assert.Equal("0", response.GrpcStatus);
    }

    [Fact]
    public async Task A_deadline_already_past_fails_at_once_without_reaching_the_server()
    {
        var calls = 0;
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (request, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new SimpleResponse());
        })));

        var error = await ExpectRpcErrorAsync(() =>
            host.Channel.AsyncUnaryCall(Unary, Request("m"), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(-1))).ResponseAsync);
        await host.Channel.AsyncUnaryCall(Unary, Request("m"));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Writing_to_a_call_that_passed_its_deadline_fails_with_deadline_exceeded()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(duplex: async (requests, _, context) =>
        {
            while (await requests.MoveNext())
            {
            }
        })));
        using var call = host.Channel.AsyncDuplexStreamingCall(Duplex, new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(50)));
        var ended = await ExpectRpcErrorAsync(() => call.ResponseStream.MoveNext());

        var error = await ExpectRpcErrorAsync(() => call.RequestStream.WriteAsync(Request("late")));

        Assert.Equal(StatusCode.DeadlineExceeded, ended.StatusCode);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_call_cancels_the_handler()
    {
        var handlerCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(serverStream: async (_, responses, context) =>
        {
            await using var registration = context.CancellationToken.Register(() => handlerCancelled.TrySetResult(true));
            await responses.WriteAsync(new SimpleResponse());
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        })));
        using var cancellation = new CancellationTokenSource();
        using var call = host.Channel.AsyncServerStreamingCall(ServerStream, Request("m"), new CallOptions(cancellationToken: cancellation.Token));
        Assert.True(await call.ResponseStream.MoveNext());

        cancellation.Cancel();

        var error = await ExpectRpcErrorAsync(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(await handlerCancelled.Within());
    }

    [Fact]
    public async Task Many_calls_cancelled_midway_each_cancel_their_handler_and_the_server_keeps_serving()
    {
        const int calls = 100;
        var cancelled = 0;
        var allCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(serverStream: async (_, responses, context) =>
        {
            try
            {
                await responses.WriteAsync(new SimpleResponse());
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            finally
            {
                if (Interlocked.Increment(ref cancelled) == calls)
                {
                    allCancelled.TrySetResult(true);
                }
            }
        })));
        var streams = Enumerable.Range(0, calls).Select(_ => host.Channel.AsyncServerStreamingCall(ServerStream, Request("m"))).ToList();
        foreach (var stream in streams)
        {
            Assert.True(await stream.ResponseStream.MoveNext());
        }

        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        Assert.True(await allCancelled.Within());
        Assert.Equal("after", (await host.Channel.AsyncUnaryCall(Unary, Request("after"))).Text());
    }

    [Fact]
    public async Task Disposing_a_bidirectional_call_cancels_the_handler()
    {
        var handlerCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(duplex: async (requests, _, context) =>
        {
            await using var registration = context.CancellationToken.Register(() => handlerCancelled.TrySetResult(true));
            started.TrySetResult(true);
            while (await requests.MoveNext())
            {
            }
        })));
        var call = host.Channel.AsyncDuplexStreamingCall(Duplex);
        await call.RequestStream.WriteAsync(Request("m"));
        await started.Within();

        call.Dispose();

        Assert.True(await handlerCancelled.Within());
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_server_stream_keeps_flowing_while_the_client_reads_slowly()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(serverStream: async (_, responses, _) =>
        {
            for (var i = 0; i < 50; i++)
            {
                await responses.WriteAsync(new SimpleResponse { Payload = new Payload { Body = Google.Protobuf.ByteString.CopyFrom(new byte[64 * 1024]) } });
            }
        })));
        using var call = host.Channel.AsyncServerStreamingCall(ServerStream, Request("m"));
        var count = 0;
        while (await call.ResponseStream.MoveNext())
        {
            count++;
            await Task.Yield();
        }

        Assert.Equal(50, count);
    }
}
