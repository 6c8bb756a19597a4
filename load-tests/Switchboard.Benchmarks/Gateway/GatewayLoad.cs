using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Benchmarks.Grpc;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Security;
using Switchboard.Grpc;
using Switchboard.Grpc.Client;
using Switchboard.Silo.Hosting;
using Switchboard.LoadTests.Benchmarks;

namespace Switchboard.Benchmarks.Gateway;

/// <summary>
/// <c>gateway-load</c>: offer to ring instruction through the whole stack on one silo (adapter OfferCall ->
/// gateway -> call, queue and agent grains -> adapter outbox -> the adapter's Connect stream), open loop at
/// fixed rates, beside the raw unary echo of the same gRPC stack at the same rates in the same run and, on SQLite,
/// the disk's floor: two raw one-row INSERT+COMMITs in a row per tick at the same rate (the ring's two serial commits).
/// Every call is then answered, ended and wrapped up over the API so agents keep cycling.
/// Usage: gateway-load [--rates 500,1000,2000,3000] [--seconds 10] [--agents 500] [--queues 10] [--store sqlite|memory]
/// [--data-dir DIR] (an existing folder for the run's files, the store's and the floor's; default the temp folder)
/// [--gc-log collections|alloc] (one line per collection as it happens, or the sampled allocations by type at the end)
/// </summary>
internal static class GatewayLoad
{
    private const string AdapterId = "load-1";

    public static async Task<int> RunAsync(string[] args)
    {
        var rates = Arg(args, "--rates", "500,1000,2000,3000").Split(',').Select(double.Parse).ToArray();
        var seconds = double.Parse(Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var agentCount = int.Parse(Arg(args, "--agents", "500"), CultureInfo.InvariantCulture);
        var queueCount = int.Parse(Arg(args, "--queues", "10"), CultureInfo.InvariantCulture);
        var store = Arg(args, "--store", "sqlite");
        var gcMode = Arg(args, "--gc-log", "");
        if (gcMode is not ("" or "collections" or "alloc"))
        {
            await Console.Error.WriteLineAsync($"error: --gc-log: '{gcMode}' is neither 'collections' nor 'alloc'");
            return 2;
        }

        var dataDir = Arg(args, "--data-dir", "");
        if (dataDir != "" && !Directory.Exists(dataDir))
        {
            await Console.Error.WriteLineAsync($"error: --data-dir: '{dataDir}' is not an existing folder");
            return 2;
        }

        var folder = Directory.CreateDirectory(Path.Combine(DataFolder.Root(dataDir == "" ? null : dataDir), "switchboard-gateway-load-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var center = Path.Combine(folder, "center.yaml");
        await File.WriteAllTextAsync(center, CenterYaml(agentCount, queueCount));
        var port = FreePort();
        var app = SiloApplication.Build([
            "--store", store, "--data-dir", Path.Combine(folder, "data"),
            "--grpc-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--Switchboard:Gateway:ListenAddress", "127.0.0.1",
            "--Switchboard:Routing:CenterFile", center,
            "--Switchboard:Routing:DeskDisconnectGrace", "01:00:00",
            "--Logging:LogLevel:Default", "Warning",
            "--Switchboard:Gateway:DevelopmentKeyWhenNoneConfigured", "false",
        ]);
        await app.StartAsync();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var adapterKey = AddKey(keys, GatewayRole.Adapter, null);
        var agentKeys = Enumerable.Range(0, agentCount).ToDictionary(Agent, i => AddKey(keys, GatewayRole.Agent, Agent(i)));
        await using var echo = await EchoServer.StartAsync();

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        using var echoChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{echo.Port}");
        var report = new StringBuilder();
        try
        {
            // Agents log in and keep their desk stream open: only agents with an open stream are offered calls.
            var desks = new List<AsyncServerStreamingCall<AgentEvent>>();
            foreach (var (agent, key) in agentKeys)
            {
                await Unary<LoginRequest, LoginResponse>(channel, "AgentDesk", "Login",
                    new LoginRequest { AgentId = agent, Station = $"user/{agent}", InitialState = AgentState.Available }, key);
                var desk = channel.AsyncServerStreamingCall(
                    new Method<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "switchboard.v1.AgentDesk", "Subscribe", AgentEvent.Parser),
                    new AgentSubscribeRequest { AgentId = agent },
                    new CallOptions(new Metadata { { "authorization", $"Bearer {key}" } }));
                await desk.ResponseStream.MoveNext(); // the snapshot: the stream is open
                desks.Add(desk);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        while (await desk.ResponseStream.MoveNext())
                        {
                        }
                    }
                    catch (RpcException)
                    {
                    }
                });
            }
            var run = new GatewayRun(channel, adapterKey, agentKeys);
            await run.ConnectAsync();

            // Warm-up: JIT, activations, connections.
            await run.OfferAtAsync(200, TimeSpan.FromSeconds(3), queueCount);
            await EchoAtAsync(echoChannel, 200, TimeSpan.FromSeconds(2));
            using var gcLog = GcEventLog.Start(gcMode == "" ? null : gcMode, Console.Out);

            report.AppendLine(CultureInfo.InvariantCulture, $"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
            report.AppendLine(CultureInfo.InvariantCulture, $"gateway-load: {agentCount} agents, {queueCount} queues, store {store}{(store == "sqlite" ? " under " + DataFolder.Describe(Path.GetDirectoryName(folder)!) : "")}, {seconds} s per rate, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, client and silo in one process");
            report.AppendLine();
            report.AppendLine("| offered calls/s | achieved calls/s | offer -> RING_AGENT p50 | p99 | max | OfferCall reply p50 | p99 | CPU per call | collections (paused), allocated | echo p50 at that rate | echo p99 | CPU per echo | disk floor p50 | p99 | ticks over 5 ms |");
            report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var rate in rates)
            {
                using var callSample = new RuntimeSample();
                var result = await run.OfferAtAsync(rate, TimeSpan.FromSeconds(seconds), queueCount);
                var calls = callSample.Take(result.Ring.Count);
                using var echoSample = new RuntimeSample();
                var echoes = await EchoAtAsync(echoChannel, rate, TimeSpan.FromSeconds(Math.Min(seconds, 5)));
                var echoRuntime = echoSample.Take(echoes.Count);
                var floor = store == "sqlite" ? DiskFloor(folder, (int)rate, Math.Min(seconds, 5)) : "- | - | -";
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"| {rate:F0} | {result.Achieved:F0} | {Ms(result.Ring, 0.50)} | {Ms(result.Ring, 0.99)} | {Ms(result.Ring, 1.0)} | {Ms(result.Reply, 0.50)} | {Ms(result.Reply, 0.99)} | {calls.CpuMsPerCall:F2} ms | {calls.Collections} ({calls.PauseMs:F0} ms), {calls.AllocatedKbPerCall:F0} KB per call | {Ms(echoes, 0.50)} | {Ms(echoes, 0.99)} | {echoRuntime.CpuMsPerCall:F3} ms | {floor} |");
                report.AppendLine(line);
                Console.WriteLine(line);
                if (result.Lost > 0)
                {
                    report.AppendLine(CultureInfo.InvariantCulture, $"  ({result.Lost} calls got no RING_AGENT within the run at {rate:F0}/s)");
                }
            }
            Console.WriteLine();
            Console.WriteLine(report);
            gcLog?.PrintAllocations();
            return 0;
        }
        finally
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await app.StopAsync(limit.Token);
                await app.DisposeAsync();
            }
            catch (Exception exception) when (exception is OperationCanceledException or AggregateException)
            {
                Console.Error.WriteLine($"the silo did not stop cleanly after the run: {exception.Message}");
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<long>> EchoAtAsync(GrpcChannel channel, double rate, TimeSpan duration)
    {
        var method = new Method<BytesValue, BytesValue>(MethodType.Unary, "switchboard.bench.Echo", "Unary", BytesValue.Parser);
        var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[100]) };
        var latencies = new ConcurrentBag<long>();
        var pending = new Outstanding();
        await Paced(rate, duration, _ =>
        {
            var start = Stopwatch.GetTimestamp();
            pending.Run(async () =>
            {
                await channel.AsyncUnaryCall(method, payload).ResponseAsync;
                latencies.Add(Stopwatch.GetTimestamp() - start);
            });
        });
        await pending.WhenAllAsync();
        return [.. latencies];
    }

    /// <summary>Calls <paramref name="fire"/> at <paramref name="rate"/> per second (open loop: a late tick fires at once).</summary>
    internal static async Task<int> Paced(double rate, TimeSpan duration, Action<int> fire)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }
            fire(i);
        }
        return total;
    }

    /// <summary>The disk's floor at a rate, on a file of its own next to the silo's (removed after).</summary>
    private static string DiskFloor(string folder, int rate, double seconds)
    {
        var own = Directory.CreateDirectory(Path.Combine(folder, "floor-" + rate.ToString(CultureInfo.InvariantCulture))).FullName;
        try
        {
            var floor = Switchboard.LoadTests.Benchmarks.RawCommitIdeal.Run(own, rate, seconds);
            return string.Create(CultureInfo.InvariantCulture, $"{floor.P50Ms:F2} ms | {floor.P99Ms:F2} ms | {floor.Over5Ms} of {floor.Ticks}");
        }
        finally
        {
            Directory.Delete(own, recursive: true);
        }
    }

    internal static string Ms(IReadOnlyList<long> timestamps, double quantile)
    {
        if (timestamps.Count == 0)
        {
            return "-";
        }
        var sorted = timestamps.Order().ToArray();
        var index = Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1);
        return (sorted[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency).ToString("F2", CultureInfo.InvariantCulture) + " ms";
    }

    internal static Task<TResponse> Unary<TRequest, TResponse>(GrpcChannel channel, string service, string method, TRequest request, string key)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() =>
        channel.AsyncUnaryCall(
            new Method<TRequest, TResponse>(MethodType.Unary, $"switchboard.v1.{service}", method, new MessageParser<TResponse>(() => new TResponse())),
            request,
            new CallOptions(new Metadata { { "authorization", $"Bearer {key}" } }, DateTime.UtcNow.AddSeconds(30))).ResponseAsync;

    private static string AddKey(ApiKeyStore keys, GatewayRole role, string? agent)
    {
        var key = ApiKeyStore.NewKey("load-");
        keys.Add(new ApiKeyDefinition { Key = key, Role = role, AgentId = agent, AdapterId = role == GatewayRole.Adapter ? AdapterId : null });
        return key;
    }

    private static string Agent(int i) => $"ag-{i:0000}";

    private static string CenterYaml(int agents, int queues)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("skills: [en]\nreasonCodes: [break]\nvendors:\n  - id: inhouse\n    name: In-house\nteams:\n  - id: t1\n    name: Team 1\n    vendor: inhouse\nqueues:");
        for (var q = 0; q < queues; q++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: q{q}\n    maxWrapUpSeconds: 60\n    offerTimeoutSeconds: 60");
        }
        yaml.AppendLine("agents:");
        for (var a = 0; a < agents; a++)
        {
            // Each agent serves two queues, so queues share agents as in a real center.
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - id: {Agent(a)}\n    team: t1\n    skills: {{ en: 5 }}\n    queues: {{ q{a % queues}: 5, q{(a + 1) % queues}: 3 }}");
        }
        return yaml.ToString();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
