using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Services;

/// <summary>The public API end to end, over real sockets, with our own gRPC client.</summary>
public sealed class CallFlowTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_offered_call_reaches_the_subscribed_agent_rings_through_the_adapter_stream_and_ends_in_wrap_up()
    {
        using var adapter = ConnectAdapter(AdapterKey);
        await adapter.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = "fs-1", Software = "test" } });
        var accepted = await adapter.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
        Assert.Equal("fs-1", accepted.Accepted.AdapterId);

        using var board = _silo.Channel.AsyncServerStreamingCall(
            Streaming<WallboardSubscribeRequest, WallboardUpdate>(MethodType.ServerStreaming, "Wallboard", "Subscribe"),
            new WallboardSubscribeRequest { Scopes = { new Scope { Kind = ScopeKind.Queue, Id = "billing" } }, MinUpdateInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) },
            With(AdminKey, TimeSpan.FromMinutes(1)));
        var first = await board.ResponseStream.ReadUntilAsync(u => u.Snapshot);
        Assert.Equal(0, first.Figures.Offered);

        var login = await _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = "a-1", Station = "user/1001" }, AgentKey("a-1"));
        Assert.Equal(AgentState.NotReady, login.Status.State);
        Assert.Equal("login", login.Status.ReasonCode);
        Assert.Equal(TimeSpan.FromSeconds(30), login.DisconnectGrace.ToTimeSpan());
        using var desk = SubscribeDesk("a-1");
        var snapshot = await desk.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        Assert.Equal(1UL, snapshot.Sequence);
        var ready = await _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new SetStateRequest { AgentId = "a-1", State = AgentState.Available }, AgentKey("a-1"));
        Assert.Equal(AgentState.Available, ready.Status.State);

        var offered = await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall", new OfferCallRequest
        {
            AdapterId = "fs-1",
            ExternalCallId = "call-1",
            CallerNumber = "+4930123456",
            QueueId = "billing",
            DialedNumber = "+4930800",
            Routing = new RoutingAttributes { Language = "en" },
            CallData = { ["account"] = "K-1" },
        }, AdapterKey);
        Assert.False(offered.Duplicate);

        var offer = (await desk.ResponseStream.ReadUntilAsync(e => e.Offer is not null, what: "offer")).Offer;
        Assert.Equal(offered.CallId, offer.CallId);
        Assert.Equal("K-1", offer.CallData["account"]);
        Assert.Equal("+4930800", offer.DialedNumber);
        Assert.Equal("en", offer.Language);
        Assert.NotNull(offer.ArrivedAt);
        var accept = await _silo.CallAsync<AcceptOfferRequest, AcceptOfferResponse>("AgentDesk", "AcceptOffer", new AcceptOfferRequest { AgentId = "a-1", OfferId = offer.OfferId }, AgentKey("a-1"));
        Assert.Equal(AgentState.Reserved, accept.Status.State);

        var ring = (await adapter.ResponseStream.ReadUntilAsync(r => r.Instruction?.RingAgent is not null, what: "RING_AGENT")).Instruction;
        Assert.Equal("a-1", ring.RingAgent.AgentId);
        Assert.Equal("user/1001", ring.RingAgent.Endpoint);
        Assert.Equal(offer.OfferId, ring.RingAgent.OfferId);
        Assert.Equal("call-1", ring.ExternalCallId);
        await adapter.RequestStream.WriteAsync(new ConnectRequest { Ack = new InstructionAck { InstructionId = ring.InstructionId, Outcome = AckOutcome.Done } });

        var otherAgent = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent", new ReportCallEventRequest
        {
            AdapterId = "fs-1",
            ExternalCallId = "call-1",
            EventId = "call-1:0",
            Answered = new CallAnswered { AgentId = "a-2" },
        }, AdapterKey));
        Assert.Equal(StatusCode.FailedPrecondition, otherAgent.StatusCode);
        Assert.Contains("agent a-1, not a-2", otherAgent.Status.Detail, StringComparison.Ordinal);

        var answered = await _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent", new ReportCallEventRequest
        {
            AdapterId = "fs-1",
            ExternalCallId = "call-1",
            EventId = "call-1:1",
            Answered = new CallAnswered { AgentId = "a-1" },
        }, AdapterKey);
        Assert.Equal(CallState.Answered, answered.State);
        await desk.ResponseStream.ReadUntilAsync(e => e.CallUpdate is { State: CallState.Answered }, what: "call answered");

        var ended = await _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent", new ReportCallEventRequest
        {
            AdapterId = "fs-1",
            CallId = offered.CallId,
            EventId = "call-1:2",
            Ended = new CallEnded { EndedBy = CallEndedBy.Caller },
        }, AdapterKey);
        Assert.Equal(CallState.Completed, ended.State);
        var wrapUp = await desk.ResponseStream.ReadUntilAsync(e => e.CallUpdate is { State: CallState.Completed }, what: "call completed");
        Assert.NotNull(wrapUp.CallUpdate.WrapUpDeadline);

        var retry = await _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent", new ReportCallEventRequest
        {
            AdapterId = "fs-1",
            CallId = offered.CallId,
            EventId = "call-1:2",
            Ended = new CallEnded { EndedBy = CallEndedBy.Caller },
        }, AdapterKey);
        Assert.Equal(CallState.Completed, retry.State);

        var finished = await _silo.CallAsync<FinishWrapUpRequest, FinishWrapUpResponse>("AgentDesk", "FinishWrapUp", new FinishWrapUpRequest { AgentId = "a-1", CallId = offered.CallId }, AgentKey("a-1"));
        Assert.Equal(AgentState.Available, finished.Status.State);
        var again = await _silo.CallAsync<FinishWrapUpRequest, FinishWrapUpResponse>("AgentDesk", "FinishWrapUp", new FinishWrapUpRequest { AgentId = "a-1", CallId = offered.CallId }, AgentKey("a-1"));
        Assert.Equal(AgentState.Available, again.Status.State);

        var figures = await board.ResponseStream.ReadUntilAsync(u => u.Figures.Answered >= 1, what: "queue figures with the answered call");
        Assert.False(figures.Snapshot);
        Assert.Equal(1, figures.Figures.Offered);
        Assert.True(figures.Version > first.Version);

        // The same call in the historical intervals, read back from the journal.
        GetFiguresResponse history = null!;
        await Infrastructure.Streams.EventuallyAsync(async () =>
        {
            history = await _silo.CallAsync<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", new GetFiguresRequest
            {
                Scopes = { new Scope { Kind = ScopeKind.Queue, Id = "billing" } },
                From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
                Granularity = Granularity._15Min,
            }, AdminKey);
            return history.Series[0].Total.Answered >= 1;
        }, what: "the answered call in GetFigures");
        Assert.Equal(1, history.Series[0].Total.Offered);
        Assert.Contains(history.Series[0].Intervals, i => i.Partial);
    }

    [Fact]
    public async Task A_reconnecting_adapter_receives_its_unacknowledged_instructions_again_and_the_older_stream_is_aborted()
    {
        using (var desk = await LoginReadyAsync("a-2", "user/1002"))
        {
            var first = ConnectAdapter(AdapterKey, "fs-1");
            await first.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
            var offered = await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall", new OfferCallRequest
            {
                AdapterId = "fs-1",
                ExternalCallId = "call-2",
                CallerNumber = "+4930555",
                QueueId = "support",
            }, AdapterKey);
            var ring = (await first.ResponseStream.ReadUntilAsync(r => r.Instruction?.RingAgent is not null, what: "RING_AGENT")).Instruction;
            Assert.Equal(offered.CallId, ring.CallId);

            // The adapter reconnects without having acked: a newer stream replaces the older one.
            using var second = ConnectAdapter(AdapterKey, "fs-1");
            var accepted = await second.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
            var resent = await second.ResponseStream.ReadUntilAsync(r => r.Instruction is not null, what: "re-sent instruction");

            Assert.True(accepted.Accepted.Resent >= 1);
            Assert.Equal(ring.InstructionId, resent.Instruction.InstructionId);
            Assert.Equal(ring.Sequence, resent.Instruction.Sequence);
            var replaced = await Assert.ThrowsAsync<RpcException>(() => first.ResponseStream.ReadUntilAsync(_ => false));
            Assert.Equal(StatusCode.Aborted, replaced.StatusCode);
            first.Dispose();

            // Acks of unknown ids are ignored and the stream goes on.
            await second.RequestStream.WriteAsync(new ConnectRequest { Ack = new InstructionAck { InstructionId = "no-such-instruction" } });
            await second.RequestStream.WriteAsync(new ConnectRequest { Ack = new InstructionAck { InstructionId = ring.InstructionId } });
            // Acks are applied asynchronously: a later reconnect finds nothing left to re-send. A reconnect that
            // replaces the stream before the server read the ack gets the instruction again, and acks it again on
            // the new stream, as an adapter does.
            await Infrastructure.Streams.EventuallyAsync(async () =>
            {
                using var next = ConnectAdapter(AdapterKey, "fs-1");
                var accepted = await next.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
                if (accepted.Accepted.Resent == 0)
                {
                    return true;
                }

                var again = await next.ResponseStream.ReadUntilAsync(r => r.Instruction is not null, what: "re-sent instruction");
                Assert.Equal(ring.InstructionId, again.Instruction.InstructionId);
                await next.RequestStream.WriteAsync(new ConnectRequest { Ack = new InstructionAck { InstructionId = again.Instruction.InstructionId } });
                await next.RequestStream.CompleteAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => next.ResponseStream.ReadUntilAsync(_ => false));
                return false;
            }, what: "a reconnect with nothing to re-send after the ack");
        }
    }

    [Fact]
    public async Task Bad_input_gets_the_precise_status_and_never_ends_a_running_stream()
    {
        using var adapter = ConnectAdapter(AdapterKey, "fs-1");
        await adapter.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);

        var noQueue = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "bad-1", CallerNumber = "+1" }, AdapterKey));
        var unknownQueue = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "bad-2", CallerNumber = "+1", QueueId = "nope" }, AdapterKey));
        var badProficiency = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "bad-3", CallerNumber = "+1", QueueId = "billing", Routing = new RoutingAttributes { Skills = { new SkillRequirement { SkillId = "billing", MinProficiency = 11 } } } }, AdapterKey));
        var unknownCall = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent",
            new ReportCallEventRequest { AdapterId = "fs-1", ExternalCallId = "never-offered", EventId = "e1", CallerHungUp = new CallerHungUp() }, AdapterKey));
        var noEvent = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent",
            new ReportCallEventRequest { AdapterId = "fs-1", ExternalCallId = "x", EventId = "e2" }, AdapterKey));
        var loggedOut = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState",
            new SetStateRequest { AgentId = "b-1", State = AgentState.Available }, AgentKey("b-1")));
        var systemReason = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState",
            new SetStateRequest { AgentId = "b-1", State = AgentState.NotReady, ReasonCode = "disconnected" }, AgentKey("b-1")));
        var staffing = await Assert.ThrowsAsync<RpcException>(() => _silo.CallAsync<GetStaffingRequest, GetStaffingResponse>("Wallboard", "GetStaffing",
            new GetStaffingRequest { CallsPerInterval = 600, Interval = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)) }, AdminKey));

        Assert.Equal(StatusCode.InvalidArgument, noQueue.StatusCode);
        Assert.Contains("queue_id", noQueue.Status.Detail);
        Assert.Equal(StatusCode.NotFound, unknownQueue.StatusCode);
        Assert.Contains("nope", unknownQueue.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, badProficiency.StatusCode);
        Assert.Contains("routing.skills[0].min_proficiency", badProficiency.Status.Detail);
        Assert.Equal(StatusCode.NotFound, unknownCall.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noEvent.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, loggedOut.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, systemReason.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, staffing.StatusCode);
        Assert.Contains("average_handle_time", staffing.Status.Detail);

        // The adapter's stream is still up: a newer stream replaces it with ABORTED, not an error of its own.
        using var replacement = ConnectAdapter(AdapterKey, "fs-1");
        await replacement.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
        Assert.Equal(StatusCode.Aborted, (await Assert.ThrowsAsync<RpcException>(() => adapter.ResponseStream.ReadUntilAsync(_ => false))).StatusCode);
    }

    [Fact]
    public async Task Staffing_answers_the_classic_80_20_question_with_erlang_c()
    {
        var answer = await _silo.CallAsync<GetStaffingRequest, GetStaffingResponse>("Wallboard", "GetStaffing", new GetStaffingRequest
        {
            CallsPerInterval = 600,
            Interval = Duration.FromTimeSpan(TimeSpan.FromMinutes(30)),
            AverageHandleTime = Duration.FromTimeSpan(TimeSpan.FromSeconds(240)),
            TargetServiceLevel = 0.8,
            ServiceLevelThreshold = Duration.FromTimeSpan(TimeSpan.FromSeconds(20)),
        }, AcmeSupervisorKey);

        Assert.Equal(80, answer.OfferedLoadErlangs, 6);
        Assert.True(answer.AgentsNeeded > 80);
        Assert.True(answer.PredictedServiceLevel >= 0.8);
    }

    private AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse> ConnectAdapter(string key, string? adapterId = null)
    {
        var options = With(key, TimeSpan.FromMinutes(2));
        if (adapterId is not null)
        {
            options.Headers!.Add("x-switchboard-adapter-id", adapterId);
        }
        return _silo.Channel.AsyncDuplexStreamingCall(Streaming<ConnectRequest, ConnectResponse>(MethodType.DuplexStreaming, "TelephonyAdapter", "Connect"), options);
    }

    private AsyncServerStreamingCall<AgentEvent> SubscribeDesk(string agentId, CancellationToken cancellationToken = default) =>
        _silo.Channel.AsyncServerStreamingCall(
            Streaming<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "AgentDesk", "Subscribe"),
            new AgentSubscribeRequest { AgentId = agentId },
            With(AgentKey(agentId), TimeSpan.FromMinutes(2), cancellationToken));

    private async Task<AsyncServerStreamingCall<AgentEvent>> LoginReadyAsync(string agentId, string station)
    {
        await _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = agentId, Station = station }, AgentKey(agentId));
        var desk = SubscribeDesk(agentId);
        await desk.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        await _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new SetStateRequest { AgentId = agentId, State = AgentState.Available }, AgentKey(agentId));
        return desk;
    }
}
