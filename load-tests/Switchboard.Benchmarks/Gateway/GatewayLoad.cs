using Grpc.Core;
using Grpc.Net.Client;
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
/// [--silo process|in-process] (default process: the silo and the echo service in a child process, as a silo runs
/// apart from its adapters and desks in production; in-process: all in this one, sharing its collector)
/// </summary>
internal static class GatewayLoad
{
    internal const string AdapterId = "load-1";

    private const string Usage =
        "usage: gateway-load [--rates 500,1000,2000,3000] [--seconds 10] [--agents 500] [--queues 10] [--store sqlite|memory]\n" +
        "                    [--data-dir DIR] [--gc-log collections|alloc] [--silo process|in-process]\n" +
        "(docs/benchmarks-gateway.md says what each column is)";

    private static readonly string[] Flags = ["--rates", "--seconds", "--agents", "--queues", "--store", "--data-dir", "--gc-log", "--silo"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }
        for (var i = 0; i < args.Length; i += 2)
        {
            // Flags come in pairs: one misspelt or without its value would otherwise run the whole default benchmark.
            if (Array.IndexOf(Flags, args[i]) < 0 || i + 1 >= args.Length)
            {
                await Console.Error.WriteLineAsync($"error: {(i + 1 >= args.Length && Array.IndexOf(Flags, args[i]) >= 0 ? $"{args[i]} needs a value" : $"'{args[i]}' is not a flag of gateway-load")}\n{Usage}");
                return 2;
            }
        }
        var rates = Arg(args, "--rates", "500,1000,2000,3000").Split(',').Select(double.Parse).ToArray();
        var seconds = double.Parse(Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var agentCount = int.Parse(Arg(args, "--agents", "500"), CultureInfo.InvariantCulture);
        var queueCount = int.Parse(Arg(args, "--queues", "10"), CultureInfo.InvariantCulture);
        var store = Arg(args, "--store", "sqlite");
        if (store is not ("sqlite" or "memory"))
        {
            await Console.Error.WriteLineAsync($"error: --store: '{store}' is neither 'sqlite' nor 'memory'");
            return 2;
        }
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

        var siloMode = Arg(args, "--silo", "process");
        if (siloMode is not ("process" or "in-process"))
        {
            await Console.Error.WriteLineAsync($"error: --silo: '{siloMode}' is neither 'process' nor 'in-process'");
            return 2;
        }
        var siloApart = siloMode == "process";

        var folder = Directory.CreateDirectory(Path.Combine(DataFolder.Root(dataDir == "" ? null : dataDir), "switchboard-gateway-load-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "center.yaml"), CenterYaml(agentCount, queueCount));
        var adapterKey = ApiKeyStore.NewKey("load-");
        var agentKeys = Enumerable.Range(0, agentCount).ToDictionary(Agent, _ => ApiKeyStore.NewKey("load-"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "keys.tsv"),
            [$"{GatewayRole.Adapter}\t\t{adapterKey}", .. agentKeys.Select(p => $"{GatewayRole.Agent}\t{p.Key}\t{p.Value}")]);
        SiloUnderLoad silo;
        try
        {
            silo = await SiloUnderLoad.StartAsync(folder, store, !siloApart, gcMode == "" ? null : gcMode);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            Directory.Delete(folder, recursive: true);
            return 1;
        }

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{silo.GrpcPort}");
        using var echoChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{silo.EchoPort}");
        var report = new StringBuilder();
        try
        {
            // Agents log in and keep their desk stream open: only agents with an open stream are offered calls.
            var desks = new List<AsyncServerStreamingCall<AgentEvent>>();
            foreach (var (agent, key) in agentKeys)
            {
                await new AgentDesk.AgentDeskClient(channel).LoginAsync(new LoginRequest { AgentId = agent, Station = $"user/{agent}", InitialState = AgentState.Available }, GatewayLoad.Auth(key));
                var desk = new AgentDesk.AgentDeskClient(channel).Subscribe(
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

            // Warm-up: JIT (long enough at the first rate for tiered compilation to have the hot path optimised:
            // 3 s at 200/s left the first step several ms worse at the p99), activations, connections.
            await run.OfferAtAsync(Math.Min(rates[0], 500), TimeSpan.FromSeconds(8), queueCount);
            await EchoAtAsync(echoChannel, Math.Min(rates[0], 500), TimeSpan.FromSeconds(3));
            using var gcLog = GcEventLog.Start(gcMode == "" ? null : gcMode, Console.Out);

            report.AppendLine(CultureInfo.InvariantCulture, $"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
            report.AppendLine(CultureInfo.InvariantCulture, $"gateway-load: {agentCount} agents, {queueCount} queues, store {store}{(store == "sqlite" ? " under " + DataFolder.Describe(Path.GetDirectoryName(folder)!) : "")}, {seconds} s per rate, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC in this process, {silo.Describe}");
            report.AppendLine();
            report.AppendLine("| offered calls/s | achieved calls/s | offer -> RING_AGENT p50 | p99 | max | calls over 5 ms (of them in a collection's pause) | OfferCall reply p50 | p99 | CPU per call | collections (paused), allocated | echo p50 at that rate | echo p99 | CPU per echo | disk floor p50 | p99 | ticks over 5 ms | offers refused / failed |");
            report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var rate in rates)
            {
                var (result, calls) = await MeasuredAsync(silo, siloApart, rate, seconds, async () =>
                {
                    await silo.TakePausesAsync();
                    return await run.OfferAtAsync(rate, TimeSpan.FromSeconds(seconds), queueCount);
                });
                var slow = Slow(result.Slow, await silo.TakePausesAsync());
                var (echoes, echoCpu) = await MeasuredAsync(silo, siloApart, rate, Math.Min(seconds, 5),
                    () => EchoAtAsync(echoChannel, rate, TimeSpan.FromSeconds(Math.Min(seconds, 5))));
                var floor = store == "sqlite" ? DiskFloor(folder, (int)rate, Math.Min(seconds, 5)) : "- | - | -";
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"| {rate:F0} | {result.Achieved:F0} | {Ms(result.Ring, 0.50)} | {Ms(result.Ring, 0.99)} | {Ms(result.Ring, 1.0)} | {slow} | {Ms(result.Reply, 0.50)} | {Ms(result.Reply, 0.99)} | {Cpu(calls, result.Ring.Count, "F2")} | {Collections(calls, result.Ring.Count)} | {Ms(echoes, 0.50)} | {Ms(echoes, 0.99)} | {Cpu(echoCpu, echoes.Count, "F3")} | {floor} | {result.Refused} / {result.Failed} |");
                report.AppendLine(line);
                Console.WriteLine(line);
                if (result.Delivery.Count > 0)
                {
                    result.Delivery.Sort();
                    var delivery = string.Create(CultureInfo.InvariantCulture,
                        $"  (RING_AGENT from the server's issued_at to its arrival here: p50 {result.Delivery[result.Delivery.Count / 2]:F2} ms, p99 {result.Delivery[(int)(result.Delivery.Count * 0.99)]:F2} ms; {result.Queued} offers answered Queued, no agent free; {result.Expired} instructions arrived expired)");
                    report.AppendLine(delivery);
                    Console.WriteLine(delivery);
                }
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
            await silo.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<long>> EchoAtAsync(GrpcChannel channel, double rate, TimeSpan duration)
    {
        var echo = new Switchboard.Bench.Echo.EchoClient(channel);
        var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[100]) };
        var latencies = new ConcurrentBag<long>();
        var pending = new Outstanding();
        await Paced(rate, duration, (_, start) =>
        {
            pending.Run(async () =>
            {
                await echo.UnaryAsync(payload);
                latencies.Add(Stopwatch.GetTimestamp() - start);
            });
        });
        await pending.WhenAllAsync();
        return [.. latencies];
    }

    /// <summary>
    /// Calls <paramref name="fire"/> with each item's index and due time (a <see cref="Stopwatch"/> reading) at
    /// <paramref name="rate"/> per second, open loop from a thread of its own (routing-bench's generator): a busy
    /// client or silo never delays the schedule, and a latency measured from the due time counts every wait.
    /// </summary>
    internal static async Task<int> Paced(double rate, TimeSpan duration, Action<int, long> fire)
    {
        var total = (int)(rate * duration.TotalSeconds);
        await OpenLoopGenerator.RunAsync(Stopwatch.GetTimestamp(), (int)rate, total, fire);
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

    /// <summary>Runs one measured step: the silo's (and the client's) counters around it, the client held quiet.</summary>
    private static async Task<(T Result, ProcessCounters Used)> MeasuredAsync<T>(SiloUnderLoad silo, bool siloApart, double rate, double seconds, Func<Task<T>> step)
    {
        using var quiet = ClientQuiet(siloApart, rate, seconds);
        var before = await silo.CountersAsync();
        var result = await step();
        return (result, await silo.CountersAsync() - before);
    }

    /// <summary>
    /// With the silo in a process of its own, the load generator stands in for an adapter and 500 desktops on other
    /// machines: its own collections are no part of the silo's latency, so it collects before a step and then holds
    /// collections off for the step (a no-GC region sized for ~48 KB per call, more than it allocates). Where the
    /// runtime cannot hold that much, it collects as usual; its collections show in the report either way.
    /// </summary>
    private static IDisposable? ClientQuiet(bool siloApart, double rate, double seconds)
    {
        if (!siloApart)
        {
            return null;
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try
        {
            var size = (long)Math.Min(rate * seconds * 48 * 1024, 2L << 30);
            return GC.TryStartNoGCRegion(size) ? new NoGcRegion() : null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private sealed class NoGcRegion : IDisposable
    {
        public void Dispose()
        {
            // A region that ran out of room has ended with a collection already.
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    /// <summary>
    /// The calls over 5 ms, and how many of them were in flight while the silo, or the load generator, was paused
    /// for a collection: how much of the tail is the collector's.
    /// </summary>
    private static string Slow(List<(DateTime Offered, DateTime Rung)> slow, (IReadOnlyList<Pause> Silo, IReadOnlyList<Pause>? Client) pauses)
    {
        static int During(List<(DateTime Offered, DateTime Rung)> calls, IReadOnlyList<Pause> pauses) =>
            calls.Count(c => pauses.Any(p => p.Overlaps(c.Offered, c.Rung)));

        return pauses.Client is null
            ? string.Create(CultureInfo.InvariantCulture, $"{slow.Count} ({During(slow, pauses.Silo)})")
            : string.Create(CultureInfo.InvariantCulture, $"{slow.Count} ({During(slow, pauses.Silo)} silo, {During(slow, pauses.Client)} client)");
    }

    /// <summary>CPU per call: the process's, or the silo's + the client's when they are two.</summary>
    private static string Cpu(ProcessCounters step, int calls, string format)
    {
        var silo = (step.CpuMs / Math.Max(1, calls)).ToString(format, CultureInfo.InvariantCulture);
        return !step.Apart ? silo + " ms" : $"{silo} + {(step.ClientCpuMs / Math.Max(1, calls)).ToString(format, CultureInfo.InvariantCulture)} ms";
    }

    /// <summary>The collections column: the silo's, and the client's beside them when it runs in a process of its own.</summary>
    private static string Collections(ProcessCounters step, int calls)
    {
        var silo = string.Create(CultureInfo.InvariantCulture, $"{step.Collections} ({step.PauseMs:F0} ms), {step.Allocated / 1024.0 / Math.Max(1, calls):F0} KB per call");
        return !step.Apart
            ? silo
            : string.Create(CultureInfo.InvariantCulture, $"silo {silo}; client {step.ClientCollections} ({step.ClientPauseMs:F0} ms), {step.ClientAllocated / 1024.0 / Math.Max(1, calls):F0} KB");
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

    /// <summary>The options of one unary call: the caller's API key and a 30 s deadline.</summary>
    internal static CallOptions Auth(string key) =>
        new(new Metadata { { "authorization", $"Bearer {key}" } }, DateTime.UtcNow.AddSeconds(30));

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

    internal static int FreePort()
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
