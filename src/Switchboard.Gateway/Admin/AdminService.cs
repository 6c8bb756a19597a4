using Grpc.Core;
using System.Globalization;
using Orleans;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Security;
using Switchboard.Routing.Configuration;
using ReasonCodeKind = Switchboard.Contracts.V1.ReasonCodeKind;
using RoutingReasonKind = Switchboard.Routing.Configuration.ReasonCodeKind;

namespace Switchboard.Gateway.Admin;

/// <summary>
/// <c>switchboard.v1.Admin</c> over the center grain. An entity's etag is the configuration version that last
/// changed that entity: an upsert with an etag fails with ABORTED when that entity changed since (changes to
/// other entities do not count). Supervisors may list, seeing their own vendor, teams and agents only.
/// </summary>
internal sealed class AdminService(IGrainFactory grains, GatewayAccess access) : Contracts.V1.Admin.AdminBase
{
    private const string PageTokenPrefix = "after:";


    private ICenterGrain Center => grains.GetGrain<ICenterGrain>(ICenterGrain.Key);

    private async Task<(Caller Caller, CenterSnapshot Center)> ReadAsync(ServerCallContext context) =>
        (access.RequireSupervisorOrAdmin(context, "list the configuration"), await Center.GetAsync());

    private async Task<CenterSnapshot> ReadForChangeAsync(ServerCallContext context)
    {
        access.RequireAdmin(context);
        return await Center.GetAsync();
    }

    // ---- vendors

    public override async Task<ListVendorsResponse> ListVendors(ListVendorsRequest request, ServerCallContext context)
    {
        var (caller, center) = await ReadAsync(context);
        var vendors = center.Configuration.Vendors.Where(v => caller.Role == GatewayRole.Admin || v.VendorId == VendorOf(caller, center.Configuration));
        var response = new ListVendorsResponse();
        response.Page = Page(vendors, v => v.VendorId, request.Page, v => response.Vendors.Add(AdminMapping.Vendor(v, Etag(center, CenterEntity.Vendor(v.VendorId)))));
        return response;
    }

    public override async Task<UpsertVendorResponse> UpsertVendor(UpsertVendorRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var vendor = AdminMapping.Vendor(request.Vendor ?? throw RequestValidation.Invalid("vendor is required"));
        var created = !center.Configuration.VendorsById.ContainsKey(vendor.VendorId);
        var result = await Center.UpsertVendorAsync(vendor, Expected(request.Vendor.Etag));
        return new UpsertVendorResponse { Vendor = AdminMapping.Vendor(vendor, Etag(result.EntityVersion ?? result.Version)), Created = created };
    }

    public override async Task<RemoveVendorResponse> RemoveVendor(RemoveVendorRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var result = await Center.RemoveVendorAsync(RequestValidation.Id(request.Id, "id"));
        return new RemoveVendorResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- teams

    public override async Task<ListTeamsResponse> ListTeams(ListTeamsRequest request, ServerCallContext context)
    {
        var (caller, center) = await ReadAsync(context);
        var teams = center.Configuration.Teams
            .Where(t => request.VendorId.Length == 0 || t.VendorId == request.VendorId)
            .Where(t => caller.Role == GatewayRole.Admin || (caller.VendorId is { } v ? t.VendorId == v : t.TeamId == caller.TeamId));
        var response = new ListTeamsResponse();
        response.Page = Page(teams, t => t.TeamId, request.Page, t => response.Teams.Add(AdminMapping.Team(t, Etag(center, CenterEntity.Team(t.TeamId)))));
        return response;
    }

    public override async Task<UpsertTeamResponse> UpsertTeam(UpsertTeamRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var team = AdminMapping.Team(request.Team ?? throw RequestValidation.Invalid("team is required"));
        if (!center.Configuration.VendorsById.ContainsKey(team.VendorId))
        {
            throw RequestValidation.NotFound($"vendor {team.VendorId} of team {team.TeamId} does not exist");
        }
        var created = !center.Configuration.TeamsById.ContainsKey(team.TeamId);
        var result = await Center.UpsertTeamAsync(team, Expected(request.Team.Etag));
        return new UpsertTeamResponse { Team = AdminMapping.Team(team, Etag(result.EntityVersion ?? result.Version)), Created = created };
    }

    public override async Task<RemoveTeamResponse> RemoveTeam(RemoveTeamRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var result = await Center.RemoveTeamAsync(RequestValidation.Id(request.Id, "id"));
        return new RemoveTeamResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- skills

    public override async Task<ListSkillsResponse> ListSkills(ListSkillsRequest request, ServerCallContext context)
    {
        var (_, center) = await ReadAsync(context);
        var response = new ListSkillsResponse();
        response.Page = Page(center.Configuration.Skills, s => s, request.Page,
            s => response.Skills.Add(new Skill { Id = s, DisplayName = center.Configuration.SkillName(s), Etag = Etag(center, CenterEntity.Skill(s)) }));
        return response;
    }

    public override async Task<UpsertSkillResponse> UpsertSkill(UpsertSkillRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var skill = request.Skill ?? throw RequestValidation.Invalid("skill is required");
        var id = RequestValidation.Id(skill.Id, "skill.id");
        RequestValidation.MaxLength(skill.DisplayName, "skill.display_name", 128);
        var created = !center.Configuration.Skills.Contains(id);
        var name = skill.DisplayName.Length > 0 ? skill.DisplayName : id;
        var result = await Center.UpsertSkillAsync(id, Expected(skill.Etag), name);
        return new UpsertSkillResponse { Skill = new Skill { Id = id, DisplayName = name, Etag = Etag(result.EntityVersion ?? result.Version) }, Created = created };
    }

    public override async Task<RemoveSkillResponse> RemoveSkill(RemoveSkillRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var result = await Center.RemoveSkillAsync(RequestValidation.Id(request.Id, "id"));
        return new RemoveSkillResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- reason codes

    public override async Task<ListReasonCodesResponse> ListReasonCodes(ListReasonCodesRequest request, ServerCallContext context)
    {
        var (_, center) = await ReadAsync(context);
        var c = center.Configuration;
        var codes = AdminMapping.SystemReasonCodes
            .Select(id => new ReasonCode { Id = id, DisplayName = id, Kind = ReasonCodeKind.NotReady, System = true, Etag = Etag(center, CenterEntity.ReasonCode(id)) })
            .Concat(c.ReasonCodes.Where(id => !AdminMapping.SystemReasonCodes.Contains(id) && id != "logged-in")
                .Select(id => AdminMapping.ReasonCode(id, ReasonCodeKind.NotReady, c.DetailsOf(id), Etag(center, CenterEntity.ReasonCode(id)))))
            .Concat(c.Dispositions.Select(id => AdminMapping.ReasonCode(id, ReasonCodeKind.Disposition, c.DetailsOf(id), Etag(center, CenterEntity.ReasonCode(id)))))
            .Where(code => request.Kind == ReasonCodeKind.Unspecified || code.Kind == request.Kind);
        var response = new ListReasonCodesResponse();
        response.Page = Page(codes, c => c.Id, request.Page, response.ReasonCodes.Add);
        return response;
    }

    public override async Task<UpsertReasonCodeResponse> UpsertReasonCode(UpsertReasonCodeRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var code = request.ReasonCode ?? throw RequestValidation.Invalid("reason_code is required");
        var id = RequestValidation.Id(code.Id, "reason_code.id");
        RequestValidation.MaxLength(code.DisplayName, "reason_code.display_name", 128);
        if (AdminMapping.SystemReasonCodes.Contains(id))
        {
            throw RequestValidation.FailedPrecondition($"reason code {id} is a system code: read only");
        }
        var kind = code.Kind switch
        {
            ReasonCodeKind.NotReady => RoutingReasonKind.NotReady,
            ReasonCodeKind.Disposition => RoutingReasonKind.Disposition,
            _ => throw RequestValidation.Invalid("reason_code.kind is required: REASON_CODE_KIND_NOT_READY or REASON_CODE_KIND_DISPOSITION"),
        };
        if (kind == RoutingReasonKind.Disposition && code.Productive)
        {
            throw RequestValidation.Invalid($"reason code {id}: productive applies to NOT_READY reasons only, not to dispositions");
        }
        var details = new ReasonCodeDetails(code.DisplayName.Length > 0 ? code.DisplayName : id, code.Productive);
        var created = !center.Configuration.ReasonCodes.Contains(id) && !center.Configuration.Dispositions.Contains(id);
        var result = await Center.UpsertReasonCodeAsync(id, Expected(code.Etag), kind, details);
        return new UpsertReasonCodeResponse { ReasonCode = AdminMapping.ReasonCode(id, code.Kind, details, Etag(result.EntityVersion ?? result.Version)), Created = created };
    }

    public override async Task<RemoveReasonCodeResponse> RemoveReasonCode(RemoveReasonCodeRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var id = RequestValidation.Id(request.Id, "id");
        if (AdminMapping.SystemReasonCodes.Contains(id))
        {
            throw RequestValidation.FailedPrecondition($"reason code {id} is a system code: it cannot be removed");
        }
        var result = await Center.RemoveReasonCodeAsync(id);
        return new RemoveReasonCodeResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- agents

    public override async Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var (caller, center) = await ReadAsync(context);
        var agents = center.Configuration.Agents
            .Where(a => request.TeamId.Length == 0 || a.TeamId == request.TeamId)
            .Where(a => request.VendorId.Length == 0 || a.VendorId == request.VendorId)
            .Where(a => GatewayAccess.InScope(caller, new AgentPlacement(a.AgentId, a.TeamId, a.VendorId)));
        var response = new ListAgentsResponse();
        response.Page = Page(agents, a => a.AgentId, request.Page, a => response.Agents.Add(AdminMapping.Agent(a, Etag(center, CenterEntity.Agent(a.AgentId)))));
        return response;
    }

    public override async Task<UpsertAgentResponse> UpsertAgent(UpsertAgentRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var agent = AdminMapping.Agent(request.Agent ?? throw RequestValidation.Invalid("agent is required"), center.Configuration);
        var created = !center.Configuration.AgentsById.ContainsKey(agent.AgentId);
        var result = await Center.UpsertAgentAsync(agent, Expected(request.Agent.Etag));
        return new UpsertAgentResponse { Agent = AdminMapping.Agent(agent, Etag(result.EntityVersion ?? result.Version)), Created = created };
    }

    public override async Task<RemoveAgentResponse> RemoveAgent(RemoveAgentRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var result = await Center.RemoveAgentAsync(RequestValidation.Id(request.Id, "id"));
        return new RemoveAgentResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- queues

    public override async Task<ListQueuesResponse> ListQueues(ListQueuesRequest request, ServerCallContext context)
    {
        var (_, center) = await ReadAsync(context);
        var response = new ListQueuesResponse();
        response.Page = Page(center.Configuration.Queues, q => q.QueueId, request.Page, q => response.Queues.Add(AdminMapping.Queue(q, Etag(center, CenterEntity.Queue(q.QueueId)))));
        return response;
    }

    public override async Task<UpsertQueueResponse> UpsertQueue(UpsertQueueRequest request, ServerCallContext context)
    {
        var center = await ReadForChangeAsync(context);
        var queue = AdminMapping.Queue(request.Queue ?? throw RequestValidation.Invalid("queue is required"));
        if (queue.OverflowQueueId is { } overflow && !center.Configuration.QueuesById.ContainsKey(overflow) && overflow != queue.QueueId)
        {
            throw RequestValidation.NotFound($"overflow queue {overflow} of queue {queue.QueueId} does not exist");
        }
        var created = !center.Configuration.QueuesById.ContainsKey(queue.QueueId);
        var result = await Center.UpsertQueueAsync(queue, Expected(request.Queue.Etag));
        return new UpsertQueueResponse { Queue = AdminMapping.Queue(queue, Etag(result.EntityVersion ?? result.Version)), Created = created };
    }

    public override async Task<RemoveQueueResponse> RemoveQueue(RemoveQueueRequest request, ServerCallContext context)
    {
        await ReadForChangeAsync(context);
        var result = await Center.RemoveQueueAsync(RequestValidation.Id(request.Id, "id"));
        return new RemoveQueueResponse { Result = new RemoveResult { Removed = result.Removed } };
    }

    // ---- helpers

    private static string? VendorOf(Caller caller, CenterConfiguration center) =>
        caller.VendorId ?? (caller.TeamId is { } team && center.TeamsById.TryGetValue(team, out var t) ? t.VendorId : null);

    private static string Etag(CenterSnapshot center, string entity) => Etag(center.VersionOf(entity));

    private static string Etag(long version) => "v" + version.ToString(CultureInfo.InvariantCulture);

    private static long? Expected(string etag)
    {
        if (etag.Length == 0)
        {
            return null;
        }
        if (etag.Length < 2 || etag[0] != 'v' || !long.TryParse(etag.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw RequestValidation.Invalid($"etag '{etag}' was not issued by this server; send back the etag you read, or none");
        }
        return version;
    }

    /// <summary>One page of <paramref name="items"/> by id; the token is the last id of the previous page.</summary>
    private static PageResponse Page<T>(IEnumerable<T> items, Func<T, string> idOf, PageRequest? page, Action<T> add)
    {
        var size = page?.PageSize ?? 0;
        if (size < 0)
        {
            throw RequestValidation.Invalid($"page.page_size is {size}; it must not be negative");
        }
        size = size == 0 ? 100 : Math.Min(size, 1000);
        var token = page?.PageToken ?? "";
        string? after = null;
        if (token.Length > 0)
        {
            if (!token.StartsWith(PageTokenPrefix, StringComparison.Ordinal))
            {
                throw RequestValidation.Invalid($"page.page_token '{token}' was not issued by this list");
            }
            after = token[PageTokenPrefix.Length..];
        }
        var ordered = items.OrderBy(idOf, StringComparer.Ordinal).Where(i => after is null || string.CompareOrdinal(idOf(i), after) > 0);
        var count = 0;
        string? last = null;
        var more = false;
        foreach (var item in ordered)
        {
            if (count == size)
            {
                more = true;
                break;
            }
            add(item);
            last = idOf(item);
            count++;
        }
        return new PageResponse { NextPageToken = more && last is not null ? PageTokenPrefix + last : "" };
    }
}
