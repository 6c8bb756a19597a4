using System.Diagnostics;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>
/// Unary echo throughput of each server under the same load generator, h2load (nghttp2, C), which stays
/// cheap on the shared 2 cores: Grpc.AspNetCore beside a bare Kestrel handler (the transport ideal) and
/// beside grpc-js. One operation is one request; one iteration is one h2load run.
/// Needs <c>h2load</c> (Debian package nghttp2-client).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 6)]
public partial class H2loadUnaryBenchmarks
{
    private const int Requests = 60000;
    private const string Path = "/switchboard.bench.Echo/Unary";

    private EchoServer? _switchboard;
    private RawKestrelEchoServer? _raw;
    private GrpcJsAgent? _grpcJs;
    private string _body = null!;
    private int _port;

    /// <summary>Who serves the echo.</summary>
    [Params("grpc-aspnetcore", "raw-kestrel", "grpc-js")]
    public string Server { get; set; } = "grpc-aspnetcore";

    /// <summary>Connections x streams per connection.</summary>
    [Params("c16-m10")]
    public string Load { get; set; } = "c16-m10";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // One framed BytesValue of 100 bytes: the same request whichever server answers it.
        var message = new BytesValue { Value = ByteString.CopyFrom(new byte[100]) }.ToByteArray();
        var framed = new byte[5 + message.Length];
        framed[4] = (byte)message.Length;
        message.CopyTo(framed, 5);
        _body = System.IO.Path.GetTempFileName();
        await File.WriteAllBytesAsync(_body, framed);

        switch (Server)
        {
            case "grpc-aspnetcore":
                _switchboard = await EchoServer.StartAsync();
                _port = _switchboard.Port;
                break;
            case "raw-kestrel":
                _raw = await RawKestrelEchoServer.StartAsync();
                _port = _raw.Port;
                break;
            default:
                _grpcJs = GrpcJsAgent.Start();
                _port = _grpcJs.Serve();
                break;
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _grpcJs?.Dispose();
        if (_switchboard is not null)
        {
            await _switchboard.DisposeAsync();
        }

        if (_raw is not null)
        {
            await _raw.DisposeAsync();
        }

        File.Delete(_body);
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public void UnaryUnderH2load()
    {
        var start = new ProcessStartInfo("h2load")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-n", Requests.ToString(), "-c", "16", "-m", "10", "-t", "1", "-d", _body,
            "-H", "content-type: application/grpc", "-H", "te: trailers",
            $"http://127.0.0.1:{_port}{Path}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start h2load.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = Succeeded().Match(output);
        if (!match.Success || int.Parse(match.Groups[1].Value) != Requests)
        {
            throw new InvalidOperationException($"h2load did not complete every request:\n{output}");
        }
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded")]
    private static partial Regex Succeeded();
}
