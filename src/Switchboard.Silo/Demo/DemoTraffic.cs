using Grpc.Core;
using Grpc.Net.Client;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Security;

namespace Switchboard.Silo.Demo;

/// <summary>
/// <c>--demo</c>: inside the silo's own process, a simulated telephony adapter and a few dozen simulated agents
/// place and answer calls over the real gRPC API (our own client, the same keys and streams an integration
/// uses), so a newcomer sees calls flow. It starts once the application has started (the server listens: a call
/// sent earlier is refused) and stops before the gateway drains.
/// </summary>
internal sealed partial class DemoTraffic(
    IOptions<DemoOptions> options,
    IOptions<GatewayOptions> gateway,
    ApiKeyStore keys,
    IHostApplicationLifetime application,
    ILogger<DemoTraffic> logger) : IHostedService, IDisposable
{
    private const string AdapterId = "demo-adapter";
    private static readonly string[] Queues = ["sales", "support"];

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _answeredCalls = new(StringComparer.Ordinal);
    private Task _run = Task.CompletedTask;
    private long _offered;
    private long _answered;
    private long _completed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }
        application.ApplicationStarted.Register(() => _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException or RpcException)
        {
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken stop)
    {
        var settings = options.Value;
        var random = new Random(settings.Seed);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{gateway.Value.GrpcPort}");
        var admin = new DemoClient(channel, AddKey(GatewayRole.Admin, null));
        var adapter = new DemoClient(channel, AddKey(GatewayRole.Adapter, AdapterId));
        var agents = Enumerable.Range(1, settings.Agents).Select(i => $"demo-{i:00}").ToArray();
        try
        {
            await ConfigureCenterAsync(admin, agents, stop);
            Starting(settings.Agents, settings.CallsPerMinute, gateway.Value.GrpcPort);
            var tasks = new List<Task> { RunAdapterAsync(adapter, new Random(random.Next()), stop), OfferCallsAsync(adapter, new Random(random.Next()), stop), ReportAsync(stop) };
            foreach (var agent in agents)
            {
                tasks.Add(RunAgentAsync(new DemoClient(channel, AddKey(GatewayRole.Agent, agent)), agent, new Random(random.Next()), stop));
            }
            await Task.WhenAll(tasks);
        }
        catch (Exception exception) when (stop.IsCancellationRequested || exception is OperationCanceledException)
        {
        }
        catch (Exception exception)
        {
            Failed(exception);
        }
    }

    private string AddKey(GatewayRole role, string? id)
    {
        var key = ApiKeyStore.NewKey("sb-demo-");
        keys.Add(new ApiKeyDefinition
        {
            Key = key,
            Role = role,
            AgentId = role == GatewayRole.Agent ? id : null,
            AdapterId = role == GatewayRole.Adapter ? id : null,
            Name = $"demo {role.ToString().ToLowerInvariant()} {id}".TrimEnd(),
        });
        return key;
    }

    /// <summary>Vendors, teams, skills, queues and agents, through the Admin API (upserts: a rerun changes nothing).</summary>
    private static async Task ConfigureCenterAsync(DemoClient admin, string[] agents, CancellationToken stop)
    {
        foreach (var (id, name) in new[] { ("inhouse", "In-house"), ("acme", "Acme Outsourcing") })
        {
            await admin.Admin.UpsertVendorAsync(new() { Vendor = new Vendor { Id = id, DisplayName = name } }, admin.Unary(stop));
        }
        await admin.Admin.UpsertTeamAsync(new() { Team = new Team { Id = "demo-inhouse", VendorId = "inhouse" } }, admin.Unary(stop));
        await admin.Admin.UpsertTeamAsync(new() { Team = new Team { Id = "demo-acme", VendorId = "acme" } }, admin.Unary(stop));
        await admin.Admin.UpsertSkillAsync(new() { Skill = new Skill { Id = "en" } }, admin.Unary(stop));
        await admin.Admin.UpsertReasonCodeAsync(new() { ReasonCode = new ReasonCode { Id = "break", Kind = ReasonCodeKind.NotReady } }, admin.Unary(stop));
        foreach (var queue in Queues)
        {
            await admin.Admin.UpsertQueueAsync(new()
            {
                Queue = new Queue { Id = queue, MaxWrapUp = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) },
            }, admin.Unary(stop));
        }
        for (var i = 0; i < agents.Length; i++)
        {
            await admin.Admin.UpsertAgentAsync(new()
            {
                Agent = new Agent { Id = agents[i], TeamId = i % 3 == 2 ? "demo-acme" : "demo-inhouse", Skills = { new SkillLevel { SkillId = "en", Proficiency = 1 + i % 10 } } },
            }, admin.Unary(stop));
        }
    }

    /// <summary>The adapter: rings agents when told, answers after a ring, hangs up after a talk time.</summary>
    private async Task RunAdapterAsync(DemoClient adapter, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var connect = adapter.TelephonyAdapter.Connect(adapter.Options(cancellationToken: stop));
                await connect.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = AdapterId, Software = "switchboard demo adapter" } });
                var writes = new SemaphoreSlim(1, 1);
                while (await connect.ResponseStream.MoveNext(stop))
                {
                    if (connect.ResponseStream.Current.Instruction is not { } instruction)
                    {
                        continue;
                    }
                    await writes.WaitAsync(stop);
                    try
                    {
                        await connect.RequestStream.WriteAsync(new ConnectRequest { Ack = new InstructionAck { InstructionId = instruction.InstructionId, Outcome = AckOutcome.Done } });
                    }
                    finally
                    {
                        writes.Release();
                    }
                    if (instruction.RingAgent is { } ring)
                    {
                        var ringFor = TimeSpan.FromMilliseconds(random.Next(500, 2500));
                        var talk = TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * options.Value.MeanTalkTime.TotalSeconds);
                        _ = ConverseAsync(adapter, instruction.CallId, ring.AgentId, ringFor, talk, stop);
                    }
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }

    private async Task ConverseAsync(DemoClient adapter, string callId, string agentId, TimeSpan ring, TimeSpan talk, CancellationToken stop)
    {
        try
        {
            await Task.Delay(ring, stop);
            if (!_answeredCalls.TryAdd(callId, 0))
            {
                return;
            }
            await adapter.TelephonyAdapter.ReportCallEventAsync(new()
            {
                AdapterId = AdapterId,
                CallId = callId,
                EventId = $"{callId}:answered",
                Answered = new CallAnswered { AgentId = agentId },
            }, adapter.Unary(stop));
            Interlocked.Increment(ref _answered);
            await Task.Delay(talk, stop);
            await adapter.TelephonyAdapter.ReportCallEventAsync(new()
            {
                AdapterId = AdapterId,
                CallId = callId,
                EventId = $"{callId}:ended",
                Ended = new CallEnded { EndedBy = CallEndedBy.Caller },
            }, adapter.Unary(stop));
            Interlocked.Increment(ref _completed);
        }
        catch (Exception exception) when (exception is RpcException or OperationCanceledException)
        {
            _answeredCalls.TryRemove(callId, out _); // the call went elsewhere (hung up, re-queued): nothing to do
        }
    }

    /// <summary>Callers: Poisson arrivals into the demo queues.</summary>
    private async Task OfferCallsAsync(DemoClient adapter, Random random, CancellationToken stop)
    {
        var meanGap = 60.0 / Math.Max(0.1, options.Value.CallsPerMinute);
        var run = Guid.NewGuid().ToString("N")[..6];
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            await Task.Delay(TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) * meanGap), stop);
            try
            {
                await adapter.TelephonyAdapter.OfferCallAsync(new()
                {
                    AdapterId = AdapterId,
                    ExternalCallId = $"{run}-{n}",
                    CallerNumber = $"+4930{random.Next(1_000_000, 9_999_999)}",
                    QueueId = Queues[random.Next(Queues.Length)],
                    Routing = new RoutingAttributes { CustomerTier = random.Next(10) == 0 ? CustomerTier.Vip : CustomerTier.Standard },
                }, adapter.Unary(stop));
                Interlocked.Increment(ref _offered);
            }
            catch (RpcException exception)
            {
                CallRefused(exception.StatusCode, exception.Status.Detail);
            }
        }
    }

    /// <summary>An agent's desk: log in, keep the stream, go ready, finish wrap-up, take a break now and then.</summary>
    private async Task RunAgentAsync(DemoClient desk, string agentId, Random random, CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 3000)), stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await desk.AgentDesk.LoginAsync(new() { AgentId = agentId, Station = $"user/{agentId}" }, desk.Unary(stop));
                using var events = desk.AgentDesk.Subscribe(new AgentSubscribeRequest { AgentId = agentId }, desk.Options(cancellationToken: stop));
                await desk.AgentDesk.SetStateAsync(new() { AgentId = agentId, State = AgentState.Available }, desk.Unary(stop));
                while (await events.ResponseStream.MoveNext(stop))
                {
                    var update = events.ResponseStream.Current;
                    if (update.CallUpdate is { State: CallState.Completed } completed)
                    {
                        _ = FinishAsync(desk, agentId, completed.CallId, random.Next(8) == 0, stop);
                    }
                    else if (update.Status is { State: AgentState.NotReady, ReasonCode: "missed-offer" })
                    {
                        // A ring timed out (a busy machine): like a person, the agent notices and goes ready again.
                        _ = ReadyAgainAsync(desk, agentId, stop);
                    }
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
            }
        }
    }

    private static async Task ReadyAgainAsync(DemoClient desk, string agentId, CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
            await desk.AgentDesk.SetStateAsync(new() { AgentId = agentId, State = AgentState.Available }, desk.Unary(stop));
        }
        catch (Exception exception) when (exception is RpcException or OperationCanceledException)
        {
        }
    }

    private async Task FinishAsync(DemoClient desk, string agentId, string callId, bool takeBreak, CancellationToken stop)
    {
        try
        {
            await Task.Delay(options.Value.WrapUpTime, stop);
            await desk.AgentDesk.FinishWrapUpAsync(new()
            {
                AgentId = agentId,
                CallId = callId,
                NextState = takeBreak ? AgentState.NotReady : AgentState.Available,
                ReasonCode = takeBreak ? "break" : "",
            }, desk.Unary(stop));
            if (takeBreak)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop);
                await desk.AgentDesk.SetStateAsync(new() { AgentId = agentId, State = AgentState.Available }, desk.Unary(stop));
            }
        }
        catch (Exception exception) when (exception is RpcException or OperationCanceledException)
        {
        }
    }

    private async Task ReportAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval);
        while (await timer.WaitForNextTickAsync(stop))
        {
            Progress(Interlocked.Read(ref _offered), Interlocked.Read(ref _answered), Interlocked.Read(ref _completed));
        }
    }

    [LoggerMessage(9500, LogLevel.Information, "Demo: {Agents} simulated agents and a simulated adapter, {CallsPerMinute} calls a minute, over gRPC on port {Port}")]
    private partial void Starting(int agents, double callsPerMinute, int port);

    [LoggerMessage(9501, LogLevel.Information, "Demo: {Offered} calls offered, {Answered} answered, {Completed} completed")]
    private partial void Progress(long offered, long answered, long completed);

    [LoggerMessage(9502, LogLevel.Warning, "Demo: a call was refused: {Status} {Detail}")]
    private partial void CallRefused(StatusCode status, string detail);

    [LoggerMessage(9503, LogLevel.Error, "Demo stopped on an error")]
    private partial void Failed(Exception exception);
}
