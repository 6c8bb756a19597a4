using Grpc.Core;
using Grpc.Net.Client;
using Switchboard.Bench;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>
/// Unary and server-streaming echo over loopback h2c, for each pairing of client and server between
/// grpc-dotnet (Grpc.AspNetCore and Grpc.Net.Client, what the silo runs) and @grpc/grpc-js, measured in the same run: grpc-js to grpc-js is the peer figure the
/// others are read against (docs/benchmarks-grpc.md). One operation is one call (unary) or one message (stream).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
[MemoryDiagnoser]
public class GrpcEchoBenchmarks
{
    private const int SequentialCalls = 200;
    private const int ConcurrentCalls = 5000;
    private const int Concurrency = 64;
    private const int StreamMessages = 20000;
    private const int PayloadSize = 100;

    private readonly BytesValue _request = new() { Value = ByteString.CopyFrom(new byte[PayloadSize]) };
    private EchoServer? _switchboardServer;
    private GrpcJsAgent? _serverAgent;
    private GrpcJsAgent _agent = null!;
    private GrpcChannel _channel = null!;
    private Echo.EchoClient _echo = null!;
    private int _port;

    /// <summary>Who serves the echo.</summary>
    [Params("grpc-dotnet", "grpc-js")]
    public string Server { get; set; } = "grpc-dotnet";

    /// <summary>Who calls it.</summary>
    [Params("grpc-dotnet", "grpc-js")]
    public string Client { get; set; } = "grpc-dotnet";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // Serving and calling grpc-js run in separate node processes: one event loop doing both would halve it.
        _agent = GrpcJsAgent.Start();
        if (Server == "grpc-dotnet")
        {
            _switchboardServer = await EchoServer.StartAsync();
            _port = _switchboardServer.Port;
        }
        else
        {
            _serverAgent = GrpcJsAgent.Start();
            _port = _serverAgent.Serve();
        }

        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_port}");
        _echo = new Echo.EchoClient(_channel);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _channel.Dispose();
        _agent.Dispose();
        _serverAgent?.Dispose();
        if (_switchboardServer is not null)
        {
            await _switchboardServer.DisposeAsync();
        }
    }

    /// <summary>Latency: one call at a time.</summary>
    [Benchmark(OperationsPerInvoke = SequentialCalls)]
    public async Task UnarySequential()
    {
        if (Client == "grpc-js")
        {
            _agent.Unary(_port, SequentialCalls, 1, PayloadSize);
            return;
        }

        for (var i = 0; i < SequentialCalls; i++)
        {
            await _echo.UnaryAsync(_request);
        }
    }

    /// <summary>Throughput: 64 calls in flight on one channel.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentCalls)]
    public async Task UnaryConcurrent64()
    {
        if (Client == "grpc-js")
        {
            _agent.Unary(_port, ConcurrentCalls, Concurrency, PayloadSize);
            return;
        }

        var next = 0;
        var workers = new Task[Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= ConcurrentCalls)
                {
                    await _echo.UnaryAsync(_request);
                }
            });
        }

        await Task.WhenAll(workers);
    }

    /// <summary>Streaming throughput: 100-byte messages on one server-streaming call.</summary>
    [Benchmark(OperationsPerInvoke = StreamMessages)]
    public async Task ServerStreamingMessages()
    {
        if (Client == "grpc-js")
        {
            _agent.Stream(_port, StreamMessages);
            return;
        }

        using var call = _echo.ServerStream(new UInt32Value { Value = StreamMessages });
        var received = 0;
        while (await call.ResponseStream.MoveNext())
        {
            received++;
        }

        if (received != StreamMessages)
        {
            throw new InvalidOperationException($"Received {received} of {StreamMessages} messages.");
        }
    }
}
