using Switchboard.Grpc.Server;
using Switchboard.Grpc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>
/// The official interop cases driven against Switchboard's server by gRPC implementations it did not write:
/// @grpc/grpc-js (tests/interop/interop_client.js) and Debian's grpcio (tests/interop/interop_client.py).
/// tests/setup.d/20-grpc-interop.sh installs both.
/// </summary>
public sealed class PeerInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PeerLimit = TimeSpan.FromSeconds(90);

    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(InteropTestService.Create()));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Grpc_js_passes_every_interop_case_against_the_server()
    {
        var dir = ExternalProcess.InteropDirectory();
        Assert.True(
            Directory.Exists(Path.Combine(dir, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed: run tests/setup.d/20-grpc-interop.sh (npm ci in tests/interop).");
        var result = await ExternalProcess.RunAsync("node", ["interop_client.js", "--port", _host.Port.ToString()], dir, PeerLimit);
        output.WriteLine(result.Output + result.Error);
        AssertEveryCasePassed("grpc-js", result);
    }

    [Fact]
    public async Task Grpcio_passes_every_interop_case_against_the_server()
    {
        var dir = ExternalProcess.InteropDirectory();
        Assert.True(
            File.Exists("/usr/bin/python3"),
            "/usr/bin/python3 is missing: run tests/setup.d/20-grpc-interop.sh (Debian python3-grpcio).");
        var result = await ExternalProcess.RunAsync("/usr/bin/python3", ["interop_client.py", "--port", _host.Port.ToString()], dir, PeerLimit);
        output.WriteLine(result.Output + result.Error);
        AssertEveryCasePassed("grpcio", result);
    }

    private static void AssertEveryCasePassed(string peer, ExternalProcess.Result result)
    {
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var report = $"{peer} exited with {result.ExitCode}.\n{result.Output}\n{result.Error}";
        var missing = InteropCases.All.Keys.Where(name => !lines.Contains($"PASS {name}")).ToList();
        Assert.True(missing.Count == 0, $"{peer} did not pass: {string.Join(", ", missing)}\n{report}");
        Assert.True(result.ExitCode == 0, report);
    }
}
