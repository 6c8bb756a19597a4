using System.Threading.Channels;
using Grpc.Core;
using Switchboard.Client;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using Switchboard.Gateway.Tests.Silo;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests.Client;

/// <summary>Switchboard.Client as an integrator uses it, against a real silo: in-process, and an executable killed with -9.</summary>
public sealed class SwitchboardClientTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-client-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_session_hands_each_instruction_to_its_handler_acknowledges_it_and_ends_with_aborted_when_replaced()
    {
        await using var silo = await TestSilo.StartAsync();
        using var adapter = Connect(silo.GrpcPort, TestSilo.AdapterKey);
        var instructions = Channel.CreateUnbounded<Instruction>();
        await using var session = await adapter.ConnectAdapterAsync("fs-1", (instruction, _) =>
        {
            instructions.Writer.TryWrite(instruction);
            return Task.FromResult(new InstructionAck { Outcome = AckOutcome.Done });
        });
        using var agent = Connect(silo.GrpcPort, TestSilo.AgentKey("a-1"));
        using var desk = await ReadyAsync(agent, "a-1");

        var offered = await adapter.TelephonyAdapter.OfferCallAsync(
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "client-1", CallerNumber = "+15550100", QueueId = "billing" }, deadline: adapter.Deadline());
        var ring = await ReadUntilAsync(instructions.Reader, i => i.RingAgent is not null);
        await Infrastructure.Streams.EventuallyAsync(() => Task.FromResult(session.Acknowledgements >= 1), what: "the ring's acknowledgement");

        Assert.Equal(offered.CallId, ring.CallId);
        Assert.Equal("a-1", ring.RingAgent.AgentId);
        Assert.Equal(1, session.Connects);

        // Another stream for the same adapter takes over: nothing acknowledged is sent again, and the session ends
        // with ABORTED instead of reconnecting (two adapters fighting over one id would flap for ever).
        using var replacement = adapter.TelephonyAdapter.Connect();
        await replacement.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = "fs-1" } });
        Assert.True(await replacement.ResponseStream.MoveNext());
        Assert.Equal(0, replacement.ResponseStream.Current.Accepted.Resent);
        var ended = await Assert.ThrowsAsync<RpcException>(() => session.Completion.WaitAsync(Wait));
        Assert.Equal(StatusCode.Aborted, ended.StatusCode);
        Assert.Equal(1, session.Connects);
    }

    [Fact]
    public async Task A_session_reconnects_after_the_silo_is_killed_and_gets_the_instruction_it_had_not_acknowledged()
    {
        var (grpcPort, httpPort) = (FreePorts.Next(), FreePorts.Next());
        var data = Path.Combine(_folder, "data");
        var center = Path.Combine(_folder, "center.yaml");
        await File.WriteAllTextAsync(center, TestSilo.CenterYaml);
        string[] args =
        [
            "--store", "sqlite", "--data-dir", data, "--grpc-port", grpcPort.ToString(), "--http-port", httpPort.ToString(), "--center-file", center,
            "--Switchboard:Gateway:ApiKeys:0:Key", TestSilo.AdapterKey, "--Switchboard:Gateway:ApiKeys:0:Role", "adapter", "--Switchboard:Gateway:ApiKeys:0:AdapterId", "fs-1",
            "--Switchboard:Gateway:ApiKeys:1:Key", TestSilo.AgentKey("a-1"), "--Switchboard:Gateway:ApiKeys:1:Role", "agent", "--Switchboard:Gateway:ApiKeys:1:AgentId", "a-1",
            "--Switchboard:Routing:DeskDisconnectGrace", "00:05:00",
            // The ring must still be pending when the restarted silo is up (under load a start takes longer than the default 5 s).
            "--Switchboard:Routing:AckTimeout", "00:02:00",
        ];
        var first = SiloProcess.Start(_folder, args);
        await using var firstGuard = first;
        await first.WaitForOutputAsync("Switchboard silo started", Wait);

        using var adapter = Connect(grpcPort, TestSilo.AdapterKey, maxBackoff: TimeSpan.FromMilliseconds(500));
        var seen = Channel.CreateUnbounded<Instruction>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        await using var session = await adapter.ConnectAdapterAsync("fs-1", async (instruction, cancellationToken) =>
        {
            seen.Writer.TryWrite(instruction);
            if (Interlocked.Increment(ref calls) == 1)
            {
                // The first ring is still being carried out when the silo dies: its acknowledgement never arrives.
                await release.Task.WaitAsync(cancellationToken);
            }
            return new InstructionAck { Outcome = AckOutcome.Done };
        });
        using var agent = Connect(grpcPort, TestSilo.AgentKey("a-1"));
        using (await ReadyAsync(agent, "a-1"))
        {
            var offered = await adapter.TelephonyAdapter.OfferCallAsync(
                new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "client-kill-1", CallerNumber = "+15550101", QueueId = "billing" }, deadline: adapter.Deadline());
            var ring = await ReadUntilAsync(seen.Reader, i => i.RingAgent is not null);
            Assert.Equal(offered.CallId, ring.CallId);

            await first.KillAsync();
            await using var second = SiloProcess.Start(_folder, args);
            await second.WaitForOutputAsync("Switchboard silo started", Wait);
            release.SetResult();

            // The session reconnects by itself, and the restarted silo sends the unacknowledged ring again.
            var again = await ReadUntilAsync(seen.Reader, i => i.InstructionId == ring.InstructionId);
            await Infrastructure.Streams.EventuallyAsync(() => Task.FromResult(session.Acknowledgements >= 1), what: "the ring acknowledged after the reconnect");

            Assert.Equal(ring.RingAgent.AgentId, again.RingAgent.AgentId);
            Assert.True(session.Connects >= 2, $"connects: {session.Connects}");
            Assert.False(session.Completion.IsCompleted);
        }
    }

    [Fact]
    public async Task Unary_calls_carry_the_key_and_a_refusal_reads_as_the_apis_status()
    {
        await using var silo = await TestSilo.StartAsync();
        using var admin = Connect(silo.GrpcPort, TestSilo.AdminKey);
        using var stranger = Connect(silo.GrpcPort, "a-key-nobody-configured-0001");

        var queues = await admin.Admin.ListQueuesAsync(new ListQueuesRequest(), deadline: admin.Deadline());
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await stranger.Admin.ListQueuesAsync(new ListQueuesRequest(), deadline: stranger.Deadline()));

        Assert.Equal(["billing", "support"], queues.Queues.Select(q => q.Id).Order().ToArray());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("unknown API key", refused.Status.Detail);
    }

    [Fact]
    public void Options_a_user_gets_wrong_are_refused_by_name()
    {
        var noKey = Assert.Throws<ArgumentException>(() => new SwitchboardClient(new SwitchboardClientOptions { Address = new Uri("http://127.0.0.1:1"), ApiKey = " " }));
        var attempts = Assert.Throws<ArgumentException>(() => new SwitchboardClient(new SwitchboardClientOptions { Address = new Uri("http://127.0.0.1:1"), ApiKey = "k", MaxAttempts = 0 }));

        Assert.Contains("ApiKey", noKey.Message);
        Assert.Contains("MaxAttempts", attempts.Message);
    }

    private static SwitchboardClient Connect(int grpcPort, string key, TimeSpan? maxBackoff = null) =>
        new(new SwitchboardClientOptions { Address = new Uri($"http://127.0.0.1:{grpcPort}"), ApiKey = key, MaxBackoff = maxBackoff ?? TimeSpan.FromSeconds(10) });

    /// <summary>Logs the agent in with its desk stream open and makes it available: it is offered calls.</summary>
    private static async Task<AsyncServerStreamingCall<AgentEvent>> ReadyAsync(SwitchboardClient agent, string agentId)
    {
        await agent.AgentDesk.LoginAsync(new LoginRequest { AgentId = agentId, Station = $"user/{agentId}" }, deadline: agent.Deadline());
        var desk = agent.AgentDesk.Subscribe(new AgentSubscribeRequest { AgentId = agentId });
        Assert.True(await desk.ResponseStream.MoveNext());
        await agent.AgentDesk.SetStateAsync(new SetStateRequest { AgentId = agentId, State = AgentState.Available }, deadline: agent.Deadline());
        return desk;
    }

    private static async Task<Instruction> ReadUntilAsync(ChannelReader<Instruction> reader, Func<Instruction, bool> match)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (true)
        {
            var instruction = await reader.ReadAsync(deadline.Token);
            if (match(instruction))
            {
                return instruction;
            }
        }
    }
}
