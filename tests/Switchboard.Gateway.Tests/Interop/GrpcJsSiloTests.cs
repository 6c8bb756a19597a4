using Switchboard.Testing;
using System.Diagnostics;
using Switchboard.Gateway.Tests.Infrastructure;
using Switchboard.Gateway.Tests.Silo;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.Interop;

/// <summary>
/// The REAL silo executable driven over the public protos by @grpc/grpc-js, a gRPC implementation we did not
/// write (tests/interop/switchboard_client.js; tests/setup.d/20-grpc-interop.sh installs it).
/// </summary>
public sealed class GrpcJsSiloTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Steps =
    [
        "health_serving",
        "adapter_connects",
        "agent_logs_in_and_subscribes",
        "wallboard_snapshot",
        "call_offered_rung_answered_and_wrapped_up",
        "wallboard_sees_figures_change",
        "bad_requests_get_their_status",
        "queue_rules_get_their_status",
        "deadline_exceeded",
        "stream_cancelled",
        "adapter_reconnect_replaces_the_old_stream",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-grpcjs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Grpc_js_drives_the_silo_through_a_call_bad_requests_deadlines_cancellation_and_health()
    {
        var interop = InteropDirectory();
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed: run tests/setup.d/20-grpc-interop.sh (npm ci in tests/interop).");
        var center = Path.Combine(_folder, "center.yaml");
        await File.WriteAllTextAsync(center, TestSilo.CenterYaml);
        var grpcPort = FreePorts.Next();
        const string admin = "grpcjs-admin-key-0000000001";
        const string adapter = "grpcjs-adapter-key-00000001";
        const string agent = "grpcjs-agent-a1-key-0000001";
        await using var silo = SiloProcess.Start(_folder,
            "--store", "memory",
            "--grpc-port", grpcPort.ToString(),
            "--http-port", FreePorts.Next().ToString(),
            "--Switchboard:Routing:CenterFile", center,
            "--Switchboard:Gateway:ApiKeys:0:Key", admin, "--Switchboard:Gateway:ApiKeys:0:Role", "admin",
            "--Switchboard:Gateway:ApiKeys:1:Key", adapter, "--Switchboard:Gateway:ApiKeys:1:Role", "adapter", "--Switchboard:Gateway:ApiKeys:1:AdapterId", "js-1",
            "--Switchboard:Gateway:ApiKeys:2:Key", agent, "--Switchboard:Gateway:ApiKeys:2:Role", "agent", "--Switchboard:Gateway:ApiKeys:2:AgentId", "a-1");
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["SB_ADMIN_KEY"] = admin, ["SB_ADAPTER_KEY"] = adapter, ["SB_AGENT_KEY"] = agent },
        };
        foreach (var arg in new[] { "switchboard_client.js", "--port", grpcPort.ToString() })
        {
            info.ArgumentList.Add(arg);
        }
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await node.WaitForExitAsync(limit.Token);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var report = $"node exited with {node.ExitCode}\n{string.Join("\n", lines)}\n{await stderr}\n--- silo ---\n{silo.Output}";
        output.WriteLine(report);

        var missing = Steps.Where(step => !lines.Contains($"PASS {step}")).ToList();
        Assert.True(missing.Count == 0, $"grpc-js did not pass: {string.Join(", ", missing)}\n{report}");
        Assert.Equal(0, node.ExitCode);

        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private static string InteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "switchboard_client.js")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"tests/interop not found above {AppContext.BaseDirectory}.");
    }
}
