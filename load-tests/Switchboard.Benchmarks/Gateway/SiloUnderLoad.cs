using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Benchmarks.Grpc;
using Switchboard.Gateway.Security;
using Switchboard.LoadTests.Benchmarks;
using Switchboard.Silo.Hosting;

namespace Switchboard.Benchmarks.Gateway;

/// <summary>
/// The system under test of <c>gateway-load</c>: one silo (the silo executable's own application, on its
/// configuration) and the echo service the transport's floor is measured against, served side by side, either in a
/// child process of their own (as an adapter and a silo run in production, so the silo's collections and CPU are its
/// own) or in the load generator's process. <see cref="CountersAsync"/> reads the silo process's runtime counters.
/// </summary>
internal abstract class SiloUnderLoad : IAsyncDisposable
{
    public int GrpcPort { get; protected init; }

    public int EchoPort { get; protected init; }

    /// <summary>What the collections and CPU columns cover, for the report's header.</summary>
    public abstract string Describe { get; }

    public abstract Task<ProcessCounters> CountersAsync();

    /// <summary>
    /// The collections' pauses since the last call: the silo process's, and the load generator's when it is another
    /// process (null when they are one).
    /// </summary>
    public abstract Task<(IReadOnlyList<Pause> Silo, IReadOnlyList<Pause>? Client)> TakePausesAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Starts the silo on <paramref name="folder"/>'s center.yaml and keys.tsv (role, agent id, key per line) with the
    /// store's files under folder/data.
    /// </summary>
    public static async Task<SiloUnderLoad> StartAsync(string folder, string store, bool inProcess, string? gcLog) =>
        inProcess ? await InProcess.StartAsync(folder, store) : await ChildProcess.StartAsync(folder, store, gcLog);

    /// <summary>
    /// <c>gateway-silo --folder F --store S [--gc-log collections|alloc]</c>: the child's side. Prints
    /// <c>ready GRPC_PORT ECHO_PORT</c>, answers each <c>counters</c> or <c>pauses</c> line on its input with one
    /// line that starts with the same word, and stops when its input closes.
    /// </summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var folder = Arg(args, "--folder");
        var store = Arg(args, "--store");
        InProcess silo;
        try
        {
            silo = await InProcess.StartAsync(folder, store);
        }
        catch (ArgumentException exception)
        {
            Console.WriteLine($"error: {exception.Message}");
            return 2;
        }
        await using var running = silo;
        using var pauses = new PauseTimeline();
        var gcMode = Array.IndexOf(args, "--gc-log") is var i and >= 0 ? args[i + 1] : null;
        using var gcLog = GcEventLog.Start(gcMode, Console.Out);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {silo.GrpcPort} {silo.EchoPort}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            Console.WriteLine(line switch
            {
                "counters" => "counters " + ProcessCounters.Now().Format(),
                "pauses" => "pauses " + PauseTimeline.Format(pauses.Take()),
                _ => $"error: '{line}' is neither 'counters' nor 'pauses'",
            });
        }
        gcLog?.PrintAllocations();
        return 0;
    }

    private static string Arg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
            ? args[i + 1]
            : throw new ArgumentException($"gateway-silo: {name} is required");

    private sealed class InProcess : SiloUnderLoad
    {
        private readonly PauseTimeline _pauses = new();
        private WebApplication _app = null!;
        private EchoServer _echo = null!;

        public override string Describe => "client and silo in one process";

        public static async Task<InProcess> StartAsync(string folder, string store)
        {
            var port = GatewayLoad.FreePort();
            var app = SiloApplication.Build([
                "--store", store, "--data-dir", Path.Combine(folder, "data"),
                "--grpc-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", GatewayLoad.FreePort().ToString(CultureInfo.InvariantCulture),
                "--Switchboard:Gateway:ListenAddress", "127.0.0.1",
                "--Switchboard:Routing:CenterFile", Path.Combine(folder, "center.yaml"),
                "--Switchboard:Routing:DeskDisconnectGrace", "01:00:00",
                "--Logging:LogLevel:Default", "Warning",
                "--Switchboard:Gateway:DevelopmentKeyWhenNoneConfigured", "false",
            ]);
            await app.StartAsync();
            var keys = app.Services.GetRequiredService<ApiKeyStore>();
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "keys.tsv")))
            {
                var (role, agent, key) = line.Split('\t') switch
                {
                    [var r, var a, var k] => (Enum.Parse<GatewayRole>(r), a == "" ? null : a, k),
                    _ => throw new FormatException($"keys.tsv: '{line}' is not role<TAB>agent<TAB>key"),
                };
                keys.Add(new ApiKeyDefinition { Key = key, Role = role, AgentId = agent, AdapterId = role == GatewayRole.Adapter ? GatewayLoad.AdapterId : null });
            }
            var echo = await EchoServer.StartAsync();
            return new InProcess { _app = app, _echo = echo, GrpcPort = port, EchoPort = echo.Port };
        }

        public override Task<ProcessCounters> CountersAsync() => Task.FromResult(ProcessCounters.Now());

        public override Task<(IReadOnlyList<Pause> Silo, IReadOnlyList<Pause>? Client)> TakePausesAsync() =>
            Task.FromResult<(IReadOnlyList<Pause>, IReadOnlyList<Pause>?)>((_pauses.Take(), null));

        public override async ValueTask DisposeAsync()
        {
            _pauses.Dispose();
            await _echo.DisposeAsync();
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _app.StopAsync(limit.Token);
                await _app.DisposeAsync();
            }
            catch (Exception exception) when (exception is OperationCanceledException or AggregateException)
            {
                await Console.Error.WriteLineAsync($"the silo did not stop cleanly after the run: {exception.Message}");
            }
        }
    }

    private sealed class ChildProcess : SiloUnderLoad
    {
        private readonly SemaphoreSlim _ask = new(1, 1);
        private readonly PauseTimeline _clientPauses = new();
        private readonly Process _process;
        private readonly Task _reader;
        private TaskCompletionSource<string> _answer = new();

        private ChildProcess(Process process, int grpcPort, int echoPort)
        {
            _process = process;
            GrpcPort = grpcPort;
            EchoPort = echoPort;
            _reader = Task.Run(ReadAsync);
        }

        public override string Describe =>
            "silo (and the echo service) in a process of its own, on the silo's runtime configuration; CPU per call: silo + client";

        public static async Task<ChildProcess> StartAsync(string folder, string store, string? gcLog)
        {
            // The child runs on the silo executable's runtime configuration (its collector, ADR 007), not the load
            // generator's: dotnet exec with the silo's runtimeconfig.json, which the build copies beside this one.
            var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
            var here = typeof(SiloUnderLoad).Assembly.Location;
            var start = new ProcessStartInfo(host)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            string[] arguments = ["exec", "--runtimeconfig", Path.Combine(Path.GetDirectoryName(here)!, "Switchboard.Silo.runtimeconfig.json"), here,
                "gateway-silo", "--folder", folder, "--store", store, .. gcLog is null ? [] : (string[])["--gc-log", gcLog]];
            foreach (var arg in arguments)
            {
                start.ArgumentList.Add(arg);
            }
            // Runtime settings given to the load generator by environment stay with it, and SILO_DOTNET_x=v reaches
            // the silo as DOTNET_x=v (to try a setting on the silo alone).
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }
            foreach (var (name, value) in start.Environment.Where(p => p.Key.StartsWith("SILO_DOTNET_", StringComparison.Ordinal)).ToList())
            {
                start.Environment[name["SILO_".Length..]] = value;
            }
            var process = Process.Start(start)!;
            // The silo's warnings (Orleans' start-up notes) come before the ready line on the same output.
            var said = new List<string>();
            var ready = await process.StandardOutput.ReadLineAsync();
            while (ready is not null && !ready.StartsWith("ready ", StringComparison.Ordinal))
            {
                said.Add(ready);
                ready = await process.StandardOutput.ReadLineAsync();
            }
            if (ready?.Split(' ') is not ["ready", var grpc, var echo])
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw new InvalidOperationException($"the silo process did not start: it said '{string.Join(" / ", said)}'");
            }
            return new ChildProcess(process, int.Parse(grpc, CultureInfo.InvariantCulture), int.Parse(echo, CultureInfo.InvariantCulture));
        }

        public override async Task<ProcessCounters> CountersAsync()
        {
            var silo = ProcessCounters.Parse(await AskAsync("counters"));
            var client = ProcessCounters.Now();
            return silo with { Apart = true, ClientCpuMs = client.CpuMs, ClientCollections = client.Collections, ClientPauseMs = client.PauseMs, ClientAllocated = client.Allocated };
        }

        public override async Task<(IReadOnlyList<Pause> Silo, IReadOnlyList<Pause>? Client)> TakePausesAsync() =>
            (PauseTimeline.Parse(await AskAsync("pauses")), _clientPauses.Take());

        /// <summary>One request to the child and its answer, the request's word taken off.</summary>
        private async Task<string> AskAsync(string request)
        {
            await _ask.WaitAsync();
            try
            {
                _answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                await _process.StandardInput.WriteLineAsync(request);
                await _process.StandardInput.FlushAsync();
                var answer = await _answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
                return answer.StartsWith(request + " ", StringComparison.Ordinal) || answer == request
                    ? answer[Math.Min(answer.Length, request.Length + 1)..]
                    : throw new InvalidOperationException($"the silo process answered '{answer}' to '{request}'");
            }
            finally
            {
                _ask.Release();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            _clientPauses.Dispose();
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                await Console.Error.WriteLineAsync("the silo process did not stop within 30 s after the run; killed");
                _process.Kill(entireProcessTree: true);
            }
            await _reader;
            _process.Dispose();
        }

        /// <summary>The child's output: answers to <c>counters</c>, and its collections' lines passed on.</summary>
        private async Task ReadAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("counters ", StringComparison.Ordinal) || line.StartsWith("pauses", StringComparison.Ordinal) || line.StartsWith("error: ", StringComparison.Ordinal))
                {
                    _answer.TrySetResult(line);
                }
                else
                {
                    Console.WriteLine("silo " + line.TrimStart());
                }
            }
            _answer.TrySetException(new InvalidOperationException("the silo process exited"));
        }
    }
}

/// <summary>
/// A process's runtime counters since it started: CPU, collections (every generation counts once), their total pause
/// and the bytes allocated; in the two-process mode (<see cref="Apart"/>) also the client's beside the silo's.
/// </summary>
internal sealed record ProcessCounters(double CpuMs, int Collections, double PauseMs, long Allocated,
    bool Apart = false, double ClientCpuMs = 0, int ClientCollections = 0, double ClientPauseMs = 0, long ClientAllocated = 0)
{
    public static ProcessCounters Now() => new(
        Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
        GC.CollectionCount(0),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        // Precise: the client allocates little during a step's no-GC region, and the cheap count may not move at all.
        GC.GetTotalAllocatedBytes(precise: true));

    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{CpuMs:R} {Collections} {PauseMs:R} {Allocated}");

    public static ProcessCounters Parse(string text) => text.Split(' ') switch
    {
        [var cpu, var collections, var paused, var allocated] => new(
            double.Parse(cpu, CultureInfo.InvariantCulture), int.Parse(collections, CultureInfo.InvariantCulture),
            double.Parse(paused, CultureInfo.InvariantCulture), long.Parse(allocated, CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"counters: '{text}' is not 'cpu collections paused allocated'"),
    };

    public static ProcessCounters operator -(ProcessCounters after, ProcessCounters before) => new(
        after.CpuMs - before.CpuMs, after.Collections - before.Collections, after.PauseMs - before.PauseMs, after.Allocated - before.Allocated,
        after.Apart, after.ClientCpuMs - before.ClientCpuMs, after.ClientCollections - before.ClientCollections, after.ClientPauseMs - before.ClientPauseMs, after.ClientAllocated - before.ClientAllocated);
}
