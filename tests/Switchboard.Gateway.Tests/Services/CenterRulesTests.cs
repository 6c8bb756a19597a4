using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Services;

/// <summary>What an administrator configures is kept and enforced, with the status codes the API promises, over the wire.</summary>
public sealed class CenterRulesTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_closed_queue_refuses_offers_with_failed_precondition_and_a_full_one_with_resource_exhausted()
    {
        await UpsertQueueAsync(new Queue { Id = "billing", Closed = true });
        var closed = await RefusedAsync(() => OfferAsync("c-1", "billing"));
        await UpsertQueueAsync(new Queue { Id = "support", MaxCalls = 1 });
        await OfferAsync("c-2", "support");
        var full = await RefusedAsync(() => OfferAsync("c-3", "support"));
        var notThere = await RefusedAsync(() => _silo.CallAsync<GetCallRequest, GetCallResponse>(
            "TelephonyAdapter", "GetCall", new GetCallRequest { AdapterId = "fs-1", ExternalCallId = "c-3" }, AdapterKey));

        Assert.Equal(StatusCode.FailedPrecondition, closed.StatusCode);
        Assert.Contains("queue billing is closed", closed.Status.Detail);
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
        Assert.Contains("queue support", full.Status.Detail);
        Assert.Contains("max_calls is 1", full.Status.Detail);
        Assert.Equal(StatusCode.NotFound, notThere.StatusCode);
    }

    [Fact]
    public async Task A_queues_new_settings_are_listed_back_and_nonsense_is_refused_naming_the_field()
    {
        await UpsertQueueAsync(new Queue
        {
            Id = "billing",
            Closed = true,
            MaxCalls = 40,
            DefaultPriority = 30,
            DispositionRequired = true,
            ServiceLevelTarget = 0.9,
            ShortAbandonThreshold = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
            PositionAnnouncementInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(45)),
            RequiredSkills = { new SkillRequirement { SkillId = "billing", MinProficiency = 4 } },
            Aging = new PriorityAging { Every = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), Step = 5, MaxPriority = 20 },
            Relaxation = { new RelaxationStep { After = Duration.FromTimeSpan(TimeSpan.FromSeconds(90)), IgnoreLanguage = true } },
            TierRules = { new TierRule { Tier = CustomerTier.Vip, PriorityBoost = 5, InHouseFirst = true } },
        });
        await UpsertQueueAsync(new Queue
        {
            Id = "outside",
            MaxWait = new MaxWait { After = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)), Action = MaxWaitAction.Overflow, OverflowNumber = "+4930123456" },
        });
        var notANumber = await RefusedAsync(() => UpsertQueueAsync(new Queue
        {
            Id = "outside",
            MaxWait = new MaxWait { After = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)), Action = MaxWaitAction.Overflow, OverflowNumber = "030 123456" },
        }));
        var negative = await RefusedAsync(() => UpsertQueueAsync(new Queue { Id = "support", MaxCalls = -1 }));
        var unknownSkill = await RefusedAsync(() => UpsertQueueAsync(new Queue { Id = "support", RequiredSkills = { new SkillRequirement { SkillId = "juggling", MinProficiency = 2 } } }));

        var listed = (await _silo.CallAsync<ListQueuesRequest, ListQueuesResponse>("Admin", "ListQueues", new ListQueuesRequest(), AdminKey)).Queues.Single(q => q.Id == "billing");
        Assert.Equal((true, 40, 30, true, 0.9, 5), (listed.Closed, listed.MaxCalls, listed.DefaultPriority, listed.DispositionRequired, listed.ServiceLevelTarget, listed.Aging.Step));
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(45)), (listed.ShortAbandonThreshold.ToTimeSpan(), listed.PositionAnnouncementInterval.ToTimeSpan()));
        Assert.Equal(("billing", 4), (listed.RequiredSkills.Single().SkillId, listed.RequiredSkills.Single().MinProficiency));
        Assert.Equal((TimeSpan.FromSeconds(90), true), (listed.Relaxation.Single().After.ToTimeSpan(), listed.Relaxation.Single().IgnoreLanguage));
        Assert.Equal((CustomerTier.Vip, 5, true), (listed.TierRules.Single().Tier, listed.TierRules.Single().PriorityBoost, listed.TierRules.Single().InHouseFirst));
        var outside = (await _silo.CallAsync<ListQueuesRequest, ListQueuesResponse>("Admin", "ListQueues", new ListQueuesRequest(), AdminKey)).Queues.Single(q => q.Id == "outside");
        Assert.Equal((MaxWaitAction.Overflow, "+4930123456", ""), (outside.MaxWait.Action, outside.MaxWait.OverflowNumber, outside.MaxWait.OverflowQueueId));
        Assert.Equal(StatusCode.InvalidArgument, notANumber.StatusCode);
        Assert.Contains("overflow_number", notANumber.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
        Assert.Contains("max_calls", negative.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, unknownSkill.StatusCode);
        Assert.Contains("queues[support].requiredSkills.juggling", unknownSkill.Status.Detail);
    }

    [Fact]
    public async Task An_etag_goes_stale_when_its_own_entity_changes_and_not_when_another_one_does()
    {
        var queues = await _silo.CallAsync<ListQueuesRequest, ListQueuesResponse>("Admin", "ListQueues", new ListQueuesRequest(), AdminKey);
        var billingEtag = queues.Queues.Single(q => q.Id == "billing").Etag;

        await UpsertQueueAsync(new Queue { Id = "support", MaxCalls = 5 });
        var changed = await UpsertQueueAsync(new Queue { Id = "billing", MaxCalls = 10, Etag = billingEtag });
        var stale = await RefusedAsync(() => UpsertQueueAsync(new Queue { Id = "billing", MaxCalls = 20, Etag = billingEtag }));
        var again = await UpsertQueueAsync(new Queue { Id = "billing", MaxCalls = 20, Etag = changed.Queue.Etag });

        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Contains("queue/billing", stale.Status.Detail);
        Assert.Equal(20, again.Queue.MaxCalls);
    }

    [Fact]
    public async Task Names_in_house_vendors_team_leaders_and_disabled_agents_are_kept_and_a_disabled_agent_cannot_log_in()
    {
        await _silo.CallAsync<UpsertSkillRequest, UpsertSkillResponse>("Admin", "UpsertSkill", new() { Skill = new Skill { Id = "billing", DisplayName = "Billing questions" } }, AdminKey);
        await _silo.CallAsync<UpsertVendorRequest, UpsertVendorResponse>("Admin", "UpsertVendor", new() { Vendor = new Vendor { Id = "acme", DisplayName = "Acme", InHouse = true } }, AdminKey);
        await _silo.CallAsync<UpsertTeamRequest, UpsertTeamResponse>("Admin", "UpsertTeam", new() { Team = new Team { Id = "t-acme", VendorId = "acme", LeaderAgentId = "a-2" } }, AdminKey);
        await _silo.CallAsync<UpsertAgentRequest, UpsertAgentResponse>("Admin", "UpsertAgent", new()
        {
            Agent = new Agent { Id = "a-1", DisplayName = "Ada Lovelace", TeamId = "t-acme", Disabled = true, Skills = { new SkillLevel { SkillId = "billing", Proficiency = 5 } } },
        }, AdminKey);

        var login = await RefusedAsync(() => _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = "a-1", Station = "user/1001" }, AgentKey("a-1")));

        Assert.Equal(StatusCode.FailedPrecondition, login.StatusCode);
        Assert.Contains("agent a-1 is disabled", login.Status.Detail);
        var skill = (await _silo.CallAsync<ListSkillsRequest, ListSkillsResponse>("Admin", "ListSkills", new(), AdminKey)).Skills.Single(s => s.Id == "billing");
        var vendor = (await _silo.CallAsync<ListVendorsRequest, ListVendorsResponse>("Admin", "ListVendors", new(), AdminKey)).Vendors.Single(v => v.Id == "acme");
        var team = (await _silo.CallAsync<ListTeamsRequest, ListTeamsResponse>("Admin", "ListTeams", new(), AdminKey)).Teams.Single(t => t.Id == "t-acme");
        var agent = (await _silo.CallAsync<ListAgentsRequest, ListAgentsResponse>("Admin", "ListAgents", new(), AdminKey)).Agents.Single(a => a.Id == "a-1");
        Assert.Equal(("Billing questions", true, "a-2"), (skill.DisplayName, vendor.InHouse, team.LeaderAgentId));
        Assert.Equal(("Ada Lovelace", true), (agent.DisplayName, agent.Disabled));

        using var board = _silo.Channel.AsyncServerStreamingCall(
            Streaming<WallboardSubscribeRequest, WallboardUpdate>(MethodType.ServerStreaming, "Wallboard", "Subscribe"),
            new WallboardSubscribeRequest { Scopes = { new Scope { Kind = ScopeKind.Team, Id = "t-acme" } }, IncludeAgents = true },
            With(AdminKey, TimeSpan.FromMinutes(1)));
        var snapshot = await board.ResponseStream.ReadUntilAsync(u => u.Snapshot);
        Assert.Contains(snapshot.Agents, a => a.Status.AgentId == "a-1" && a.DisplayName == "Ada Lovelace");
    }

    [Fact]
    public async Task Dispositions_are_listed_by_kind_and_finish_wrap_up_refuses_an_unknown_or_missing_one_with_invalid_argument()
    {
        await _silo.CallAsync<UpsertReasonCodeRequest, UpsertReasonCodeResponse>("Admin", "UpsertReasonCode",
            new() { ReasonCode = new ReasonCode { Id = "resolved", DisplayName = "Resolved", Kind = ReasonCodeKind.Disposition } }, AdminKey);
        await _silo.CallAsync<UpsertReasonCodeRequest, UpsertReasonCodeResponse>("Admin", "UpsertReasonCode",
            new() { ReasonCode = new ReasonCode { Id = "training", Kind = ReasonCodeKind.NotReady, Productive = true } }, AdminKey);
        await UpsertQueueAsync(new Queue { Id = "billing", DispositionRequired = true, MaxWrapUp = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) });
        using var desk = await InWrapUpAsync("a-1", "c-1");

        var missing = await RefusedAsync(() => FinishWrapUpAsync("a-1", "fs-1:c-1", ""));
        var unknown = await RefusedAsync(() => FinishWrapUpAsync("a-1", "fs-1:c-1", "solved"));
        var finished = await FinishWrapUpAsync("a-1", "fs-1:c-1", "resolved");

        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Contains("queue billing requires one", missing.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("'solved'", unknown.Status.Detail);
        Assert.Equal(AgentState.Available, finished.Status.State);
        var dispositions = await _silo.CallAsync<ListReasonCodesRequest, ListReasonCodesResponse>("Admin", "ListReasonCodes", new() { Kind = ReasonCodeKind.Disposition }, AdminKey);
        var all = await _silo.CallAsync<ListReasonCodesRequest, ListReasonCodesResponse>("Admin", "ListReasonCodes", new(), AdminKey);
        Assert.Equal([("resolved", "Resolved")], dispositions.ReasonCodes.Select(c => (c.Id, c.DisplayName)));
        Assert.True(all.ReasonCodes.Single(c => c.Id == "training").Productive);
    }

    [Fact]
    public async Task Going_available_while_on_a_call_cancels_a_pending_not_ready()
    {
        using var desk = await InWrapUpAsync("a-1", "c-1");
        var pending = await SetStateAsync("a-1", AgentState.NotReady, "lunch");

        var available = await SetStateAsync("a-1", AgentState.Available);
        var finished = await FinishWrapUpAsync("a-1", "fs-1:c-1", "");

        Assert.True(pending.Pending);
        Assert.Equal((AgentState.WrapUp, false, ""), (available.Status.State, available.Pending, available.Status.PendingReasonCode));
        Assert.Equal(AgentState.Available, finished.Status.State);
    }

    [Fact]
    public async Task An_external_call_id_that_would_make_the_call_id_longer_than_64_characters_is_refused_naming_field_and_limit()
    {
        var longest = new string('x', 64 - "fs-1:".Length);

        var fits = await OfferAsync(longest, "billing");
        var refused = await RefusedAsync(() => OfferAsync(longest + "y", "billing"));

        Assert.Equal(64, fits.CallId.Length);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("external_call_id", refused.Status.Detail);
        Assert.Contains("at most 59", refused.Status.Detail);
    }

    private Task<UpsertQueueResponse> UpsertQueueAsync(Queue queue) =>
        _silo.CallAsync<UpsertQueueRequest, UpsertQueueResponse>("Admin", "UpsertQueue", new UpsertQueueRequest { Queue = queue }, AdminKey);

    private Task<OfferCallResponse> OfferAsync(string externalCallId, string queue) =>
        _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = externalCallId, CallerNumber = "+4930123456", QueueId = queue }, AdapterKey);

    private Task<SetStateResponse> SetStateAsync(string agentId, AgentState state, string reason = "") =>
        _silo.CallAsync<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new SetStateRequest { AgentId = agentId, State = state, ReasonCode = reason }, AgentKey(agentId));

    private Task<FinishWrapUpResponse> FinishWrapUpAsync(string agentId, string callId, string disposition) =>
        _silo.CallAsync<FinishWrapUpRequest, FinishWrapUpResponse>("AgentDesk", "FinishWrapUp",
            new FinishWrapUpRequest { AgentId = agentId, CallId = callId, DispositionCode = disposition, Notes = "called back about the refund" }, AgentKey(agentId));

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    /// <summary>The agent took a billing call that was answered and ended: it is in wrap-up, its desk open.</summary>
    private async Task<AsyncServerStreamingCall<AgentEvent>> InWrapUpAsync(string agentId, string externalCallId)
    {
        await _silo.CallAsync<LoginRequest, LoginResponse>("AgentDesk", "Login", new LoginRequest { AgentId = agentId, Station = "user/1001" }, AgentKey(agentId));
        var desk = _silo.Channel.AsyncServerStreamingCall(
            Streaming<AgentSubscribeRequest, AgentEvent>(MethodType.ServerStreaming, "AgentDesk", "Subscribe"),
            new AgentSubscribeRequest { AgentId = agentId },
            With(AgentKey(agentId), TimeSpan.FromMinutes(2)));
        await desk.ResponseStream.ReadUntilAsync(e => e.Snapshot is not null);
        await SetStateAsync(agentId, AgentState.Available);
        var offered = await OfferAsync(externalCallId, "billing");
        Assert.Equal(CallState.Reserved, offered.State);
        foreach (var (n, report) in new[] { (1, new ReportCallEventRequest { Answered = new CallAnswered { AgentId = agentId } }), (2, new ReportCallEventRequest { Ended = new CallEnded() }) })
        {
            report.AdapterId = "fs-1";
            report.ExternalCallId = externalCallId;
            report.EventId = $"{externalCallId}:{n}";
            await _silo.CallAsync<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent", report, AdapterKey);
        }

        await desk.ResponseStream.ReadUntilAsync(e => e.Status?.State == AgentState.WrapUp, what: "wrap-up");
        return desk;
    }
}
