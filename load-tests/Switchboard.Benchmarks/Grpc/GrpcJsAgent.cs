using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>
/// tests/interop/echo_agent.js: a long-lived node process that serves or calls the echo service with
/// @grpc/grpc-js on command, so grpc-js is measured without node's start-up in the timing.
/// </summary>
internal sealed class GrpcJsAgent : IDisposable
{
    private readonly Process _process;

    private GrpcJsAgent(Process process) => _process = process;

    public static GrpcJsAgent Start()
    {
        var interop = FindInteropDirectory();
        var start = new ProcessStartInfo("node", "echo_agent.js")
        {
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return new GrpcJsAgent(Process.Start(start) ?? throw new InvalidOperationException("Could not start node."));
    }

    public int Serve() => int.Parse(Command("serve", "port"), CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="calls"/> unary echoes, <paramref name="concurrency"/> at a time.</summary>
    public void Unary(int port, int calls, int concurrency, int payload) =>
        Command($"unary 127.0.0.1:{port} {calls} {concurrency} {payload}", "ok");

    /// <summary>Receives <paramref name="messages"/> messages on one server-streaming call.</summary>
    public void Stream(int port, int messages) => Command($"stream 127.0.0.1:{port} {messages}", "ok");

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private string Command(string line, string expected)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        var reply = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("echo_agent.js exited.");
        if (!reply.StartsWith(expected + " ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"echo_agent.js answered '{reply}' to '{line}'.");
        }

        return reply[(expected.Length + 1)..];
    }

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop", "echo_agent.js");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("tests/interop/echo_agent.js not found; run the benchmarks from the repository.");
    }
}
