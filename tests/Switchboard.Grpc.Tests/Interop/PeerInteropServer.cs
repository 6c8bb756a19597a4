using System.Diagnostics;
using Switchboard.Grpc.Tests.Infrastructure;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>
/// grpc.testing.TestService served by another gRPC implementation (a script in tests/interop that prints
/// "port N" and serves until its stdin closes), with a Switchboard channel to it.
/// </summary>
public abstract class PeerInteropServer(string program, string script, string missingHint) : IAsyncLifetime
{
    private Process? _process;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var dir = ExternalProcess.InteropDirectory();
        _process = Process.Start(new ProcessStartInfo(program, script)
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Could not start {program}.");
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("port ", StringComparison.Ordinal))
        {
            var error = await _process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException($"{script} did not report its port ({missingHint}): '{line}' {error}");
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

        // Closing stdin asks the server to shut down; the limit only guards against a hung peer.
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
