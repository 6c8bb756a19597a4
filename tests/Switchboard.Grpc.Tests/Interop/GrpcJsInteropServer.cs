using System.Diagnostics;
using Switchboard.Grpc.Tests.Infrastructure;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>tests/interop/interop_server.js: grpc.testing.TestService served by @grpc/grpc-js, on a free port.</summary>
public sealed class GrpcJsInteropServer : IAsyncLifetime
{
    private Process? _process;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var dir = ExternalProcess.InteropDirectory();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException("@grpc/grpc-js is not installed: run tests/setup.d/20-grpc-interop.sh (npm ci in tests/interop).");
        }

        _process = Process.Start(new ProcessStartInfo("node", "interop_server.js")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start node.");
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("port ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"interop_server.js did not report its port: '{line}'.");
        }

        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{line[5..]}");
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_process is null)
        {
            return;
        }

        // Closing stdin asks the server to shut down; the limit only guards against a hung node.
        _process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
