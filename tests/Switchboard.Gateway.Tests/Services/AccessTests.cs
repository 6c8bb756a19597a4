using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Gateway.Tests.Services;

/// <summary>Each role is refused what it must not do, over the wire.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<StatusCode> StatusOf<TRequest, TResponse>(string service, string method, TRequest request, string? key)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new()
        where TResponse : class, Google.Protobuf.IMessage<TResponse>, new()
    {
        try
        {
            await _silo.CallAsync<TRequest, TResponse>(service, method, request, key);
            return StatusCode.OK;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }

    [Fact]
    public async Task A_missing_or_unknown_key_is_unauthenticated_on_every_service()
    {
        foreach (var key in new string?[] { null, "not-a-configured-key-at-all" })
        {
            Assert.Equal(StatusCode.Unauthenticated, await StatusOf<ListQueuesRequest, ListQueuesResponse>("Admin", "ListQueues", new(), key));
            Assert.Equal(StatusCode.Unauthenticated, await StatusOf<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall", new() { AdapterId = "fs-1" }, key));
            Assert.Equal(StatusCode.Unauthenticated, await StatusOf<LoginRequest, LoginResponse>("AgentDesk", "Login", new() { AgentId = "a-1", Station = "s" }, key));
            Assert.Equal(StatusCode.Unauthenticated, await StatusOf<GetStaffingRequest, GetStaffingResponse>("Wallboard", "GetStaffing", new(), key));
        }
    }

    [Theory]
    [InlineData(null, 16, "no API key: send 'authorization: Bearer <key>' metadata")]
    [InlineData("Bearer not-a-configured-key-at-all", 16, "unknown API key")]
    [InlineData("Basic dXNlcjpwYXNz", 16, "malformed authorization metadata: expected 'Bearer <key>'")]
    [InlineData("Bearer test-agent-key-a-1-0000000", 7, "role agent may not use TelephonyAdapter; it needs an adapter key")]
    public async Task The_key_is_checked_before_the_message_is_read_so_garbage_gets_the_keys_status(string? authorization, int status, string message)
    {
        // Not a protobuf message: a 5-byte gRPC frame header announcing 5 bytes of 0xFF.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_silo.GrpcPort}/switchboard.v1.TelephonyAdapter/OfferCall")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status.ToString(), Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Equal(message, Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))));
    }

    [Fact]
    public async Task An_adapter_may_not_administer_and_may_not_speak_for_another_adapter()
    {
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<ListQueuesRequest, ListQueuesResponse>("Admin", "ListQueues", new(), AdapterKey));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<UpsertSkillRequest, UpsertSkillResponse>("Admin", "UpsertSkill", new() { Skill = new Skill { Id = "x" } }, AdapterKey));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new() { AdapterId = "fs-2", ExternalCallId = "c", CallerNumber = "+1", QueueId = "billing" }, AdapterKey));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<LoginRequest, LoginResponse>("AgentDesk", "Login", new() { AgentId = "a-1", Station = "s" }, AdapterKey));
    }

    [Fact]
    public async Task An_adapter_may_not_report_on_a_call_another_adapter_offered()
    {
        var offered = await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-2", ExternalCallId = "theirs", CallerNumber = "+1", QueueId = "billing" }, OtherAdapterKey);

        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<ReportCallEventRequest, ReportCallEventResponse>("TelephonyAdapter", "ReportCallEvent",
            new() { AdapterId = "fs-1", CallId = offered.CallId, EventId = "e", CallerHungUp = new CallerHungUp() }, AdapterKey));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<GetCallRequest, GetCallResponse>("TelephonyAdapter", "GetCall",
            new() { AdapterId = "fs-1", CallId = offered.CallId }, AdapterKey));
    }

    [Fact]
    public async Task An_agent_acts_for_itself_only()
    {
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<LoginRequest, LoginResponse>("AgentDesk", "Login", new() { AgentId = "a-2", Station = "s" }, AgentKey("a-1")));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new() { AgentId = "a-2", State = AgentState.Available }, AgentKey("a-1")));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<ListAgentsRequest, ListAgentsResponse>("Admin", "ListAgents", new(), AgentKey("a-1")));
        Assert.Equal(StatusCode.PermissionDenied, await StatusOf<GetStaffingRequest, GetStaffingResponse>("Wallboard", "GetStaffing", new(), AgentKey("a-1")));
        Assert.Equal(StatusCode.OK, await StatusOf<LoginRequest, LoginResponse>("AgentDesk", "Login", new() { AgentId = "a-1", Station = "user/1" }, AgentKey("a-1")));
    }

    [Fact]
    public async Task A_vendor_supervisor_never_sees_another_vendors_agents_or_figures()
    {
        var theirAgent = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Agent, "b-1"), AcmeSupervisorKey);
        var theirVendor = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Vendor, "bravo"), AcmeSupervisorKey);
        var theirTeam = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Team, "t-bravo"), AcmeSupervisorKey);
        var aQueue = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Queue, "billing"), AcmeSupervisorKey);
        var setTheirAgent = await StatusOf<SetStateRequest, SetStateResponse>("AgentDesk", "SetState", new() { AgentId = "b-1", State = AgentState.NotReady, ReasonCode = "break" }, AcmeSupervisorKey);
        var upsert = await StatusOf<UpsertVendorRequest, UpsertVendorResponse>("Admin", "UpsertVendor", new() { Vendor = new Vendor { Id = "acme" } }, AcmeSupervisorKey);
        var ownVendor = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Vendor, "acme"), AcmeSupervisorKey);
        var ownAgent = await StatusOf<GetFiguresRequest, GetFiguresResponse>("Wallboard", "GetFigures", Figures(ScopeKind.Agent, "a-1"), AcmeSupervisorKey);
        var agents = await _silo.CallAsync<ListAgentsRequest, ListAgentsResponse>("Admin", "ListAgents", new ListAgentsRequest(), AcmeSupervisorKey);
        var vendors = await _silo.CallAsync<ListVendorsRequest, ListVendorsResponse>("Admin", "ListVendors", new ListVendorsRequest(), AcmeSupervisorKey);

        Assert.Equal(StatusCode.PermissionDenied, theirAgent);
        Assert.Equal(StatusCode.PermissionDenied, theirVendor);
        Assert.Equal(StatusCode.PermissionDenied, theirTeam);
        Assert.Equal(StatusCode.PermissionDenied, aQueue);
        Assert.Equal(StatusCode.PermissionDenied, setTheirAgent);
        Assert.Equal(StatusCode.PermissionDenied, upsert);
        Assert.Equal(StatusCode.OK, ownVendor);
        Assert.Equal(StatusCode.OK, ownAgent);
        Assert.Equal(["a-1", "a-2"], agents.Agents.Select(a => a.Id));
        Assert.Equal(["acme"], vendors.Vendors.Select(v => v.Id));
    }

    [Fact]
    public async Task A_wallboard_stream_refuses_a_scope_out_of_reach_before_sending_anything()
    {
        using var board = _silo.Channel.AsyncServerStreamingCall(
            Streaming<WallboardSubscribeRequest, WallboardUpdate>(MethodType.ServerStreaming, "Wallboard", "Subscribe"),
            new WallboardSubscribeRequest { Scopes = { new Scope { Kind = ScopeKind.Vendor, Id = "acme" }, new Scope { Kind = ScopeKind.Agent, Id = "b-1" } } },
            With(AcmeSupervisorKey));

        var refused = await Assert.ThrowsAsync<RpcException>(() => board.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("b-1", refused.Status.Detail);
    }

    [Fact]
    public async Task Admins_configure_the_center_and_everyone_else_is_refused()
    {
        var created = await _silo.CallAsync<UpsertSkillRequest, UpsertSkillResponse>("Admin", "UpsertSkill", new UpsertSkillRequest { Skill = new Skill { Id = "fr" } }, AdminKey);
        var team = await _silo.CallAsync<UpsertTeamRequest, UpsertTeamResponse>("Admin", "UpsertTeam", new UpsertTeamRequest { Team = new Team { Id = "t-acme-2", VendorId = "acme" } }, AdminKey);
        var agent = await _silo.CallAsync<UpsertAgentRequest, UpsertAgentResponse>("Admin", "UpsertAgent", new UpsertAgentRequest
        {
            Agent = new Agent { Id = "a-9", TeamId = "t-acme-2", Skills = { new SkillLevel { SkillId = "fr", Proficiency = 4 } } },
        }, AdminKey);
        var stale = await StatusOf<UpsertVendorRequest, UpsertVendorResponse>("Admin", "UpsertVendor", new() { Vendor = new Vendor { Id = "acme", Etag = created.Skill.Etag } }, AdminKey);
        var unknownTeam = await StatusOf<UpsertAgentRequest, UpsertAgentResponse>("Admin", "UpsertAgent", new() { Agent = new Agent { Id = "a-10", TeamId = "t-nope" } }, AdminKey);
        var inUse = await StatusOf<RemoveTeamRequest, RemoveTeamResponse>("Admin", "RemoveTeam", new() { Id = "t-acme-2" }, AdminKey);
        var badId = await StatusOf<UpsertSkillRequest, UpsertSkillResponse>("Admin", "UpsertSkill", new() { Skill = new Skill { Id = "no spaces" } }, AdminKey);
        var removedNothing = await _silo.CallAsync<RemoveSkillRequest, RemoveSkillResponse>("Admin", "RemoveSkill", new RemoveSkillRequest { Id = "never-was" }, AdminKey);
        var page = await _silo.CallAsync<ListAgentsRequest, ListAgentsResponse>("Admin", "ListAgents", new ListAgentsRequest { Page = new PageRequest { PageSize = 2 } }, AdminKey);
        var next = await _silo.CallAsync<ListAgentsRequest, ListAgentsResponse>("Admin", "ListAgents", new ListAgentsRequest { Page = new PageRequest { PageSize = 2, PageToken = page.Page.NextPageToken } }, AdminKey);

        Assert.True(created.Created);
        Assert.True(team.Created);
        Assert.Equal("acme", agent.Agent.VendorId);
        Assert.Equal(StatusCode.Aborted, stale);
        Assert.Equal(StatusCode.NotFound, unknownTeam);
        Assert.Equal(StatusCode.FailedPrecondition, inUse);
        Assert.Equal(StatusCode.InvalidArgument, badId);
        Assert.False(removedNothing.Result.Removed);
        Assert.Equal(["a-1", "a-2"], page.Agents.Select(a => a.Id));
        Assert.Equal(["a-9", "b-1"], next.Agents.Select(a => a.Id));
    }

    private static GetFiguresRequest Figures(ScopeKind kind, string id) => new()
    {
        Scopes = { new Scope { Kind = kind, Id = id } },
        From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
        To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Granularity = Granularity._15Min,
    };
}
