using Switchboard.Testing;
using System.Diagnostics;
using Switchboard.Gateway.Tests.Infrastructure;
using Switchboard.Gateway.Tests.Silo;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Switchboard.Contracts.V1;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.Interop;

/// <summary>
/// The REAL silo executable driven over the public protos by gRPC implementations we did not write: @grpc/grpc-js
/// (tests/interop/switchboard_client.js) and grpcio, C-core (tests/interop/switchboard_client.py); each prints one
/// PASS or FAIL line per step. tests/setup.d/20-grpc-interop.sh installs both.
/// </summary>
public sealed class PeerSiloTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] GrpcJsSteps =
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

    private static readonly string[] GrpcioSteps =
    [
        "health_serving",
        "reflection_lists_the_api",
        "adapter_connects",
        "agent_logs_in_and_subscribes",
        "call_offered_rung_answered_and_wrapped_up",
        "bad_requests_get_their_status",
        "queue_defaults_follow_the_protos",
        "an_upsert_that_changes_nothing_keeps_a_usable_etag",
        "deadline_exceeded",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-peer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Grpc_js_drives_the_silo_through_a_call_bad_requests_deadlines_cancellation_and_health()
    {
        var interop = InteropDirectory();
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "@grpc", "grpc-js")),
            "@grpc/grpc-js is not installed: run tests/setup.d/20-grpc-interop.sh (npm ci in tests/interop).");
        await DriveAsync("grpc-js", "node", ["switchboard_client.js"], "js-1", GrpcJsSteps);
    }

    [Fact]
    public async Task Grpcio_drives_the_silo_through_health_reflection_a_call_bad_requests_and_deadlines()
    {
        // The API's descriptors as the silo compiled them: the script builds its message classes from them.
        var descriptors = Path.Combine(_folder, "api.pb");
        var set = new FileDescriptorSet();
        set.File.AddRange(SwitchboardApi.Files.Append(Grpc.Health.V1.HealthReflection.Descriptor).Append(Grpc.Reflection.V1.ReflectionReflection.Descriptor)
            .Select(file => FileDescriptorProto.Parser.ParseFrom(file.SerializedData)));
        await File.WriteAllBytesAsync(descriptors, set.ToByteArray());
        await DriveAsync("grpcio", "/usr/bin/python3", ["switchboard_client.py", "--descriptors", descriptors], "py-1", GrpcioSteps);
    }

    /// <summary>Starts the silo with one key per role, runs the peer's script against it, and checks every step passed.</summary>
    private async Task DriveAsync(string peer, string program, string[] script, string adapterId, string[] steps)
    {
        var interop = InteropDirectory();
        var center = Path.Combine(_folder, "center.yaml");
        await File.WriteAllTextAsync(center, TestSilo.CenterYaml);
        var grpcPort = FreePorts.Next();
        const string admin = "peer-admin-key-00000000001";
        const string adapter = "peer-adapter-key-000000001";
        const string agent = "peer-agent-a1-key-00000001";
        await using var silo = SiloProcess.Start(_folder,
            "--store", "memory",
            "--grpc-port", grpcPort.ToString(),
            "--http-port", FreePorts.Next().ToString(),
            "--Switchboard:Routing:CenterFile", center,
            "--Switchboard:Gateway:ApiKeys:0:Key", admin, "--Switchboard:Gateway:ApiKeys:0:Role", "admin",
            "--Switchboard:Gateway:ApiKeys:1:Key", adapter, "--Switchboard:Gateway:ApiKeys:1:Role", "adapter", "--Switchboard:Gateway:ApiKeys:1:AdapterId", adapterId,
            "--Switchboard:Gateway:ApiKeys:2:Key", agent, "--Switchboard:Gateway:ApiKeys:2:Role", "agent", "--Switchboard:Gateway:ApiKeys:2:AgentId", "a-1");
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));

        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["SB_ADMIN_KEY"] = admin, ["SB_ADAPTER_KEY"] = adapter, ["SB_AGENT_KEY"] = agent },
        };
        foreach (var arg in script.Concat(["--port", grpcPort.ToString()]))
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(limit.Token);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var report = $"{peer} exited with {process.ExitCode}\n{string.Join("\n", lines)}\n{await stderr}\n--- silo ---\n{silo.Output}";
        output.WriteLine(report);

        var missing = steps.Where(step => !lines.Contains($"PASS {step}")).ToList();
        Assert.True(missing.Count == 0, $"{peer} did not pass: {string.Join(", ", missing)}\n{report}");
        Assert.Equal(0, process.ExitCode);

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
