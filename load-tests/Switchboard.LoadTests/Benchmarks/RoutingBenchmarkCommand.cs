using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.LoadTests.Hosting;
using Switchboard.LoadTests.Simulation;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.InMemory;
using Switchboard.Routing.Topics;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// <c>routing-bench</c>: the routing grains in a silo in this process on the real clock and the SQLite store, offered
/// calls at a fixed open-loop rate per step. Latency is offer→reserved: from the moment the call was due to be offered
/// (its scheduled time, so a late generator counts against the router) to the return of <c>OfferAsync</c> with the
/// agent reserved (the reservation journaled and RING_AGENT issued). The simulated adapter acknowledges each
/// RING_AGENT from its topic, reports the answer, and ends the call after --talk-seconds; the agent then finishes
/// wrap-up. The ideal router (no actors, no I/O) runs the same center in the same process first. Offers start from
/// <see cref="OpenLoopGenerator"/>'s own thread; each step also reports its garbage collections and store commits
/// (<see cref="RuntimeSample"/>), where the tail of the latency goes.
/// </summary>
internal static class RoutingBenchmarkCommand
{
    private const int Adapters = 4;

    private static readonly string[] AdapterIds = [.. Enumerable.Range(0, Adapters).Select(a => "bench-" + a.ToString(CultureInfo.InvariantCulture))];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        RoutingBenchmarkOptions options;
        try
        {
            options = RoutingBenchmarkOptions.Parse(args);
        }
        catch (SimulationHelpRequested)
        {
            await output.WriteLineAsync(RoutingBenchmarkOptions.Usage);
            return 0;
        }
        catch (SimulationArgumentException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return SimulateCommand.BadArguments;
        }

        using var gcLog = GcEventLog.Start(options.GcLog, output);
        var center = BenchmarkCenter.Build(options.Agents, options.Queues, options.QueuesPerAgent);
        await output.WriteLineAsync($"{options.Agents} agents, {options.Queues} queues, {options.QueuesPerAgent} queues per agent; "
            + $"{Environment.ProcessorCount} cores; .NET {Environment.Version}; {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; store {options.Store}"
            + (options.Store == "sqlite" ? " under " + DataFolder.Describe(DataFolder.Root(options.DataDir)) : ""));

        var ideal = RunIdeal(center, options);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ideal (InMemoryRouter, one thread): {ideal.CallsPerSecond:N0} calls/s (offer+answer+end+wrap-up), offer p50 {ideal.P50Ms * 1000:0.0} us, p99 {ideal.P99Ms * 1000:0.0} us"));

        // The disk's floor at the budget's rate, before and after the steps (the virtual disk's stalls come and go).
        var durable = new List<RawCommitResult>();
        var durableRate = options.Rates.Contains(500) ? 500 : options.Rates[0];
        if (options.Store == "sqlite")
        {
            durable.Add(RunRawCommits(durableRate, options));
            await output.WriteLineAsync(durable[^1] + " (before the steps)");
        }

        var steps = await RunGrainsAsync(center, options, output);
        if (options.Store == "sqlite")
        {
            durable.Add(RunRawCommits(durableRate, options));
            await output.WriteLineAsync(durable[^1] + " (after the steps)");
        }

        gcLog?.PrintAllocations();
        var sustained = steps.Where(s => s.Sustained).Select(s => s.Rate).DefaultIfEmpty(0).Max();
        var keptUp = steps.Where(s => s.KeptUp).Select(s => s.Rate).DefaultIfEmpty(0).Max();
        var at500 = steps.FirstOrDefault(s => s.Rate == 500);
        var ratio = keptUp > 0 ? ideal.CallsPerSecond / keptUp : double.NaN;
        var latencyRatio = at500 is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; p99 at 500/s {at500.P99Ms:0.00} ms = {at500.P99Ms / ideal.P99Ms:0}x the ideal's");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"kept up to {keptUp} calls/s; sustained (p99 < 100 ms) to {sustained} calls/s; ideal / grains throughput (kept up) = {ratio:0.0}x{latencyRatio}"));

        if (options.JsonFile is { } json)
        {
            await using var stream = File.Create(json);
            await JsonSerializer.SerializeAsync(stream, new { options, ideal, ideal_durable = durable, steps, kept_up_max = keptUp, sustained_max = sustained }, new JsonSerializerOptions { WriteIndented = true });
        }

        return 0;
    }

    private static RawCommitResult RunRawCommits(int rate, RoutingBenchmarkOptions options)
    {
        var folder = Path.Combine(DataFolder.Root(options.DataDir), "switchboard-raw-commits-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            return RawCommitIdeal.Run(folder, rate, Math.Min(options.Seconds, 10));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IdealResult RunIdeal(CenterConfiguration center, RoutingBenchmarkOptions options)
    {
        var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var router = new InMemoryRouter(center, now);
        foreach (var agent in center.Agents)
        {
            router.Login(agent.AgentId, now);
            router.SetReady(agent.AgentId, now);
        }

        var random = new Random(1);
        var inFlight = new Queue<(string CallId, string AgentId)>();
        var limit = Math.Max(1, options.Agents / 2);
        var latencies = new double[options.IdealCalls];
        var reserved = 0;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < options.IdealCalls; i++)
        {
            now = now.AddTicks(TimeSpan.TicksPerMillisecond / 2);
            var call = new Call("i" + i.ToString(CultureInfo.InvariantCulture), BenchmarkCenter.QueueId(random.Next(options.Queues)),
                "+1" + (5550000000L + i).ToString(CultureInfo.InvariantCulture), CustomerTier.Standard, [], null, 0, now);
            var started = Stopwatch.GetTimestamp();
            router.Offer(call, now);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Answer(router, inFlight, now, ref reserved);
            while (inFlight.Count > limit)
            {
                var (callId, agentId) = inFlight.Dequeue();
                router.Complete(callId, now);
                router.FinishWrapUp(agentId, now);
                Answer(router, inFlight, now, ref reserved);
            }
        }

        var seconds = wall.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new IdealResult(options.IdealCalls / seconds, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)], reserved);

        static void Answer(InMemoryRouter router, Queue<(string, string)> inFlight, DateTimeOffset now, ref int reserved)
        {
            foreach (var r in router.LastReservations.ToArray())
            {
                router.Answer(r.CallId, now);
                inFlight.Enqueue((r.CallId, r.AgentId));
                reserved++;
            }
        }
    }

    private static async Task<List<StepResult>> RunGrainsAsync(CenterConfiguration center, RoutingBenchmarkOptions options, TextWriter output)
    {
        var folder = Path.Combine(DataFolder.Root(options.DataDir), "switchboard-routing-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var steps = new List<StepResult>();
        using var stop = new CancellationTokenSource();
        var silo = await InProcessSilo.StartAsync(silo =>
        {
            if (options.Store == "sqlite")
            {
                throw new NotSupportedException("the SQLite store is wired in when Switchboard.Silo's storage lands: " + Path.Combine(folder, "routing.db"));
            }

            silo.UseInMemoryStore(new InMemoryStore());
            silo.AddRouting(o => o.Center = center);
        });
        try
        {
            var provider = silo.Services;
            var grains = provider.GetRequiredService<IGrainFactory>();
            var streams = provider.GetRequiredService<ITopicHub>();
            var login = Stopwatch.StartNew();
            await Parallel.ForEachAsync(center.Agents, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (agent, _) =>
            {
                var grain = grains.GetGrain<IAgentGrain>(agent.AgentId);
                await grain.LoginAsync(new AgentLogin("bench/" + agent.AgentId));
                await grain.SetReadyAsync();
            });
            await output.WriteLineAsync($"grains: {options.Agents} agents logged in and ready in {login.Elapsed.TotalSeconds:0.0} s");

            var run = new GrainRun(grains, options);
            var consumers = new List<Task>();
            for (var a = 0; a < Adapters; a++)
            {
                var adapterId = AdapterIds[a];
                var subscription = streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(adapterId)).Subscribe();
                consumers.Add(run.ConsumeAsync(adapterId, subscription, stop.Token));
            }

            consumers.Add(run.HangUpAsync(stop.Token));

            // Warm-up (JIT, first activations of queues and agents, SQLite caches): not reported.
            var warmup = await run.StepAsync(-1, Math.Max(1, options.Rates[0] / 2), options.WarmupSeconds);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warmup.Rate}/s for {options.WarmupSeconds:0} s, p50 {warmup.P50Ms:0.00} ms, p99 {warmup.P99Ms:0.00} ms (not counted)"));
            await output.WriteLineAsync("latency: offer -> reserved (OfferAsync returned, reservation journaled, RING_AGENT issued), from the scheduled offer time; 'sent' columns from the actual call");
            await output.WriteLineAsync($"{"rate/s",8}{"offered/s",11}{"p50 ms",9}{"p99 ms",9}{"max ms",9}{"sent p50",10}{"sent p99",10}{"queued",8}{"errors",8}{"handled",9}  kept up / sustained");
            var failures = 0;
            for (var s = 0; s < options.Rates.Count && failures < 2; s++)
            {
                var step = await run.StepAsync(s, options.Rates[s], options.Seconds);
                steps.Add(step);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{step.Rate,8}{step.OfferedPerSecond,11:0}{step.P50Ms,9:0.00}{step.P99Ms,9:0.00}{step.MaxMs,9:0.0}{step.SendP50Ms,10:0.00}{step.SendP99Ms,10:0.00}{step.Queued,8}{step.Errors,8}{step.Handled,9}  {(step.KeptUp ? "yes" : "no")} / {(step.Sustained ? "yes" : "no")}{(step.ErrorKinds.Length > 0 ? "  " + step.ErrorKinds : "")}"));
                var r = step.Runtime;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{"",8}  gc: {r.Collections} collections, {r.PauseMs:0} ms paused ({r.PauseShare:P1} of the step), {r.AllocatedKbPerCall:0.0} KB allocated and {r.CpuMsPerCall:0.00} ms CPU per call; " +
                    $"store: {r.Commits} commits, p50 {r.CommitP50Ms:0.00} ms, p99 {r.CommitP99Ms:0.00} ms, max {r.CommitMaxMs:0.0} ms, {r.WritesPerCommit:0.0} writes each"));
                // Agents lost to the load show here: a missed offer leaves its agent NotReady, and no desk in this
                // benchmark sets it ready again.
                var agents = (await grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key).GetLiveAsync(FigureScope.Center, TimeSpan.FromMinutes(15))).AgentsByState;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{"",8}  agents after the step: {string.Join(", ", agents.Select(p => $"{p.Key} {p.Value}"))}"));
                if (options.SlowMs is not null)
                {
                    await output.WriteLineAsync($"{"",8}  slow: {run.SlowCalls()}");
                }

                failures = step.KeptUp ? 0 : failures + 1;
            }

            stop.Cancel();
        }
        finally
        {
            await silo.DisposeAsync();

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return steps;
    }

    internal sealed record IdealResult(double CallsPerSecond, double P50Ms, double P99Ms, int Reserved);

    /// <summary>One step. P50/P99/Max: from the scheduled offer time; Send*: from the moment OfferAsync was called (service time).</summary>
    internal sealed record StepResult(int Rate, double OfferedPerSecond, double P50Ms, double P99Ms, double MaxMs, double SendP50Ms, double SendP99Ms,
        int Reserved, int Queued, int Errors, int Handled, bool KeptUp, bool Sustained, string ErrorKinds, RuntimeFigures Runtime);

    /// <summary>One silo's run: the open-loop generator and the simulated adapters and agents.</summary>
    private sealed class GrainRun(IGrainFactory grains, RoutingBenchmarkOptions options)
    {
        private readonly Random _random = new(2);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _errorKinds = new(StringComparer.Ordinal);
        private LatencySample _latency = new();
        private LatencySample _service = new();
        private readonly List<(double DueMs, double Ms, bool Collected)> _slow = [];
        private long _stepStart;
        private int _offersDone;
        private int _queued;
        private int _errors;
        private int _handled;
        private int _reserved;
        private long _callNumber;
        private int _offersStarted;
        private int _stepTotal;
        private TaskCompletionSource _allOffersDone = new();

        // Calls in conversation, in the order they were answered (every call talks as long, so that is the order
        // they end). One loop hangs them up: a timer and an awaiting method per call would be objects the
        // simulated adapter keeps alive through a collection or two, work the router itself does not cause.
        private readonly System.Collections.Concurrent.ConcurrentQueue<(long Due, string CallId, string AgentId)> _talking = new();

        public async Task<StepResult> StepAsync(int step, int rate, double seconds)
        {
            _latency = new LatencySample();
            _service = new LatencySample();
            _errorKinds.Clear();
            _offersDone = _queued = _errors = _handled = _reserved = 0;
            var total = (int)Math.Max(1, Math.Round(rate * seconds));
            using var runtime = new RuntimeSample();
            // Offers are counted, not kept: an array holding every offer's task until the step ends would be a
            // long-lived object pointing at young ones, garbage-collector work the router itself does not cause.
            _offersStarted = 0;
            _stepTotal = total;
            _allOffersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var start = Stopwatch.GetTimestamp();
            _stepStart = start;
            lock (_slow)
            {
                _slow.Clear();
            }

            await OpenLoopGenerator.RunAsync(start, rate, total, (index, scheduled) =>
            {
                Interlocked.Increment(ref _offersStarted);
                _ = OfferAsync(step, index, scheduled);
            });
            // The last items may still sit in the pool's queue: wait until every offer has started.
            while (Volatile.Read(ref _offersStarted) < total)
            {
                await Task.Delay(1);
            }
            var allDue = Stopwatch.GetElapsedTime(start);
            await Task.WhenAny(_allOffersDone.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            var elapsed = Stopwatch.GetElapsedTime(start);

            // Let the answered calls end and their agents finish wrap-up before the next step.
            var deadline = Stopwatch.GetTimestamp() + (long)((options.TalkSeconds + 10) * Stopwatch.Frequency);
            while (Volatile.Read(ref _handled) < Volatile.Read(ref _reserved) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50);
            }

            var offered = Volatile.Read(ref _offersDone);
            var figures = runtime.Take(offered);
            var p99 = _latency.Percentile(99);
            var keptUp = offered == total && _errors == 0 && _queued <= total / 100 && elapsed < allDue + TimeSpan.FromSeconds(1);
            var sustained = keptUp && p99 < 100;
            var kinds = string.Join(", ", _errorKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} x{k.Value}"));
            return new StepResult(rate, offered / elapsed.TotalSeconds, _latency.Percentile(50), p99, _latency.Percentile(100),
                _service.Percentile(50), _service.Percentile(99), _reserved, _queued, _errors, _handled, keptUp, sustained, kinds, figures);
        }

        /// <summary>With --slow-ms: the step's slow calls by due time, a '*' where a collection ran during the call.</summary>
        public string SlowCalls()
        {
            lock (_slow)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{_slow.Count} calls over {options.SlowMs} ms ({_slow.Count(c => c.Collected)} with a collection during them), due ms: latency ms: ")
                    + string.Join(" ", _slow.OrderBy(c => c.DueMs).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.DueMs:0}:{c.Ms:0.0}{(c.Collected ? "*" : "")}")));
            }
        }

        public async Task ConsumeAsync(string adapterId, TopicSubscription<AdapterInstruction> subscription, CancellationToken cancellationToken)
        {
            var adapter = grains.GetGrain<IAdapterGrain>(adapterId);
            await foreach (var item in subscription.ReadAllAsync(cancellationToken))
            {
                if (item.Removed || item.Value is not { } instruction)
                {
                    continue;
                }

                _ = instruction.Action is RingAgent ring
                    ? HandleRingAsync(adapter, instruction, ring)
                    : adapter.AckAsync(instruction.InstructionId, InstructionOutcome.Done);
            }
        }

        private async Task OfferAsync(int step, int index, long scheduled)
        {
            string queue;
            long number;
            lock (_random)
            {
                queue = BenchmarkCenter.QueueId(_random.Next(options.Queues));
                number = ++_callNumber;
            }

            var adapterId = AdapterIds[index % Adapters];
            var external = string.Create(CultureInfo.InvariantCulture, $"s{step + 1}-{index}");
            try
            {
                var sent = Stopwatch.GetTimestamp();
                var collections = GC.CollectionCount(0);
                var result = await grains.GetGrain<ICallGrain>(CallIds.For(adapterId, external))
                    .OfferAsync(new CallOffer(adapterId, external, "+1" + (5550000000L + number).ToString(CultureInfo.InvariantCulture), queue));
                var ms = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                if (result.State == CallState.Reserved)
                {
                    _latency.Add(ms);
                    if (ms > options.SlowMs)
                    {
                        lock (_slow)
                        {
                            _slow.Add((Stopwatch.GetElapsedTime(_stepStart, scheduled).TotalMilliseconds, ms, GC.CollectionCount(0) != collections));
                        }
                    }
                    _service.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    Interlocked.Increment(ref _reserved);
                }
                else
                {
                    Interlocked.Increment(ref _queued);
                }
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                _errorKinds.AddOrUpdate("offer: " + e.GetType().Name, 1, (_, n) => n + 1);
            }
            finally
            {
                if (Interlocked.Increment(ref _offersDone) == _stepTotal)
                {
                    _allOffersDone.TrySetResult();
                }
            }
        }

        private async Task HandleRingAsync(IAdapterGrain adapter, AdapterInstruction instruction, RingAgent ring)
        {
            try
            {
                await adapter.AckAsync(instruction.InstructionId, InstructionOutcome.Done);
                await grains.GetGrain<ICallGrain>(instruction.CallId).AnsweredAsync();
                _talking.Enqueue((Stopwatch.GetTimestamp() + (long)(options.TalkSeconds * Stopwatch.Frequency), instruction.CallId, ring.AgentId));
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                _errorKinds.AddOrUpdate("answering: " + e.GetType().Name, 1, (_, n) => n + 1);
            }
        }

        /// <summary>
        /// Hangs up calls once they have talked long enough, from a thread of its own like the offers' generator:
        /// each hang-up goes to the pool as the adapter's event would arrive, so a busy pool delays only the calls
        /// behind it, not the clock that ends them.
        /// </summary>
        public Task HangUpAsync(CancellationToken cancellationToken)
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (!_talking.TryPeek(out var head))
                    {
                        OpenLoopGenerator.SleepUntil(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 1000);
                    }
                    else if (head.Due > Stopwatch.GetTimestamp())
                    {
                        OpenLoopGenerator.SleepUntil(head.Due);
                    }
                    else if (_talking.TryDequeue(out head))
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Run.EndAsync(state.CallId, state.AgentId), (Run: this, head.CallId, head.AgentId), preferLocal: false);
                    }
                }

                stopped.SetResult();
            })
            {
                IsBackground = true,
                Name = "hang-ups",
            };
            thread.Start();
            return stopped.Task;
        }

        private async Task EndAsync(string callId, string agentId)
        {
            try
            {
                await grains.GetGrain<ICallGrain>(callId).EndedAsync();
                var agent = grains.GetGrain<IAgentGrain>(agentId);
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await agent.FinishWrapUpAsync(callId);
                        break;
                    }
                    catch (AgentStateException) when (attempt < 100)
                    {
                        // The call tells the agent it ended one way; the agent may not be in wrap-up yet.
                        await Task.Delay(5);
                    }
                }

                Interlocked.Increment(ref _handled);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                _errorKinds.AddOrUpdate("handling: " + e.GetType().Name, 1, (_, n) => n + 1);
            }
        }
    }
}
