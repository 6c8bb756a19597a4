using Grpc.Core;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Services;

/// <summary>The desk's Subscribe stream is the agent's liveness (grace period shortened to 3 s: short enough to wait out, long enough for a cold silo on a busy machine to open the stream in time).</summary>
public sealed class LivenessTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(disconnectGrace: TimeSpan.FromSeconds(3));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_agent_whose_desk_stream_drops_and_does_not_come_back_goes_not_ready_disconnected()
    {
        using var board = _silo.Channel.AsyncServerStreamingCall(
            Streaming<WallboardSubscribeRequest, WallboardUpdate>(MethodType.ServerStreaming, "Wallboard", "Subscribe"),
            new WallboardSubscribeRequest
            {
                Scopes = { new Scope { Kind = ScopeKind.Agent, Id = "a-1" } },
                IncludeAgents = true,
                MinUpdateInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)),
            },
            With(AcmeSupervisorKey, TimeSpan.FromMinutes(1)));
        await board.ResponseStream.ReadUntilAsync(u => u.Snapshot);

        var login = await _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = "a-1", Station = "user/1" }, AgentKey("a-1"));
        Assert.Equal(TimeSpan.FromSeconds(3), login.DisconnectGrace.ToTimeSpan());
        using var closing = new CancellationTokenSource();
        var desk = _silo.Channel.AsyncServerStreamingCall(
            Streaming<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "AgentDesk", "Subscribe"),
            new AgentSubscribeRequest { AgentId = "a-1" },
            With(AgentKey("a-1"), TimeSpan.FromMinutes(1), closing.Token));
        await desk.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        await _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new SetStateRequest { AgentId = "a-1", State = AgentState.Available }, AgentKey("a-1"));
        await board.ResponseStream.ReadUntilAsync(u => u.Agents.Any(a => a.Status.State == AgentState.Available), what: "a-1 AVAILABLE");

        // The desktop closes: its stream is cancelled and nothing comes back.
        closing.Cancel();
        desk.Dispose();

        var disconnected = await board.ResponseStream.ReadUntilAsync(
            u => u.Agents.Any(a => a.Status.State == AgentState.NotReady && a.Status.ReasonCode == "disconnected"), what: "a-1 NOT_READY(disconnected)");
        Assert.Equal("a-1", disconnected.Agents.Single().Status.AgentId);

        // Nothing is offered to it now.
        var offered = await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "after-drop", CallerNumber = "+1", QueueId = "billing" }, AdapterKey);
        Assert.Equal(CallState.Queued, offered.State);
    }

    [Fact]
    public async Task A_desk_that_reconnects_within_the_grace_period_stays_available()
    {
        await _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = "a-2", Station = "user/2", InitialState = AgentState.Available }, AgentKey("a-2"));
        var first = _silo.Channel.AsyncServerStreamingCall(
            Streaming<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "AgentDesk", "Subscribe"),
            new AgentSubscribeRequest { AgentId = "a-2" }, With(AgentKey("a-2"), TimeSpan.FromMinutes(1)));
        var snapshot = await first.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        Assert.Equal(AgentState.Available, snapshot.Snapshot.Status.State);

        // A newer stream replaces the older (ABORTED) and the agent stays available past the grace period.
        using var second = _silo.Channel.AsyncServerStreamingCall(
            Streaming<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "AgentDesk", "Subscribe"),
            new AgentSubscribeRequest { AgentId = "a-2" }, With(AgentKey("a-2"), TimeSpan.FromMinutes(1)));
        await second.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        Assert.Equal(StatusCode.Aborted, (await Assert.ThrowsAsync<RpcException>(() => first.ResponseStream.ReadUntilAsync(_ => false))).StatusCode);
        first.Dispose();

        var offered = await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "to-a-2", CallerNumber = "+1", QueueId = "support" }, AdapterKey);
        var offer = await second.ResponseStream.ReadUntilAsync(e => e.Offer is not null, what: "offer");
        Assert.Equal(offered.CallId, offer.Offer.CallId);
    }
}
