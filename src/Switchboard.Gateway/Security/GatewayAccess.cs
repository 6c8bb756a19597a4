using System.Diagnostics.CodeAnalysis;
using Grpc.Core;
using Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Security;

/// <summary>
/// Authentication (the API key in <c>authorization: Bearer</c>) and the role and scope rules of docs/api.md,
/// in one place. Every check throws <see cref="RpcException"/> with UNAUTHENTICATED or PERMISSION_DENIED, or
/// NOT_FOUND when a scope names an entity that does not exist (checked before the permission, so a
/// supervisor cannot probe which ids exist elsewhere: an unknown id in another vendor reads NOT_FOUND,
/// a known one PERMISSION_DENIED, and both reveal nothing of its figures).
/// </summary>
internal sealed class GatewayAccess(ApiKeyStore keys, IAgentDirectory directory)
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// The caller of <paramref name="context"/>, or UNAUTHENTICATED: the one the authentication handler found for the
    /// request (<see cref="ApiKeyAuthenticationHandler"/>), or, for a call made without HTTP (unit tests), its metadata's.
    /// </summary>
    public Caller Authenticate(ServerCallContext context)
    {
        // grpc-dotnet's UserState is the request's HttpContext.Items, where the handler left the caller.
        if (context.UserState.TryGetValue(typeof(Caller), out var found) && found is Caller authenticated)
        {
            return authenticated;
        }
        return TryAuthenticate(context.RequestHeaders.GetValue(SwitchboardApi.Metadata.Authorization), out var caller, out var error)
            ? caller
            : throw Unauthenticated(error);
    }

    /// <summary>Finds the caller of an <c>authorization</c> header; false with what is wrong, in the API's words.</summary>
    public bool TryAuthenticate(string? header, [NotNullWhen(true)] out Caller? caller, out string error)
    {
        caller = null;
        if (header is null)
        {
            error = "no API key: send 'authorization: Bearer <key>' metadata";
            return false;
        }
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            error = "malformed authorization metadata: expected 'Bearer <key>'";
            return false;
        }
        if (!keys.TryFind(header.AsSpan(BearerPrefix.Length).Trim(), out var found))
        {
            error = "unknown API key";
            return false;
        }
        caller = found;
        error = string.Empty;
        return true;
    }

    /// <summary>TelephonyAdapter: role adapter, and the key's adapter binding.</summary>
    public Caller RequireAdapter(ServerCallContext context, string? adapterId = null)
    {
        var caller = Authenticate(context);
        if (caller.Role != GatewayRole.Adapter)
        {
            throw Denied($"role {Name(caller.Role)} may not use TelephonyAdapter; it needs an adapter key");
        }
        CheckAdapter(caller, adapterId);
        return caller;
    }

    /// <summary>Checks an adapter id against the key's binding (once the id is known, e.g. from a hello).</summary>
    public static void CheckAdapter(Caller caller, string? adapterId)
    {
        if (caller.AdapterId is { } bound && !string.IsNullOrEmpty(adapterId) && !string.Equals(bound, adapterId, StringComparison.Ordinal))
        {
            throw Denied($"this key is bound to adapter {bound}, not {adapterId}");
        }
    }

    /// <summary>The agent's own actions (Login, Subscribe, offers, wrap-up, transfer): role agent for that agent id.</summary>
    public Caller RequireAgentSelf(ServerCallContext context, string agentId)
    {
        var caller = Authenticate(context);
        if (caller.Role != GatewayRole.Agent)
        {
            throw Denied($"role {Name(caller.Role)} may not act as an agent; only the agent's own key may");
        }
        if (!string.IsNullOrEmpty(agentId) && !string.Equals(caller.AgentId, agentId, StringComparison.Ordinal))
        {
            throw Denied($"this key acts for agent {caller.AgentId}, not {agentId}");
        }
        return caller;
    }

    /// <summary>SetState and Logout: the agent itself, a supervisor of the agent's vendor or team, or an admin.</summary>
    public async ValueTask<Caller> RequireAgentOrSupervisorAsync(ServerCallContext context, string agentId)
    {
        var caller = Authenticate(context);
        switch (caller.Role)
        {
            case GatewayRole.Agent:
                return RequireAgentSelf(context, agentId);
            case GatewayRole.Admin:
                return caller;
            case GatewayRole.Supervisor:
                if (string.IsNullOrEmpty(agentId))
                {
                    return caller; // the service answers INVALID_ARGUMENT for the empty id
                }
                var placement = await directory.FindAgentAsync(agentId, context.CancellationToken)
                    ?? throw new RpcException(new Status(StatusCode.NotFound, $"agent {agentId} does not exist"));
                if (!InScope(caller, placement))
                {
                    throw Denied($"agent {agentId} is outside this supervisor's {ScopeOf(caller)}");
                }
                return caller;
            default:
                throw Denied($"role {Name(caller.Role)} may not change an agent's state");
        }
    }

    /// <summary>Admin upserts and removes: role admin.</summary>
    public Caller RequireAdmin(ServerCallContext context)
    {
        var caller = Authenticate(context);
        if (caller.Role != GatewayRole.Admin)
        {
            throw Denied($"role {Name(caller.Role)} may not change the configuration; it needs an admin key");
        }
        return caller;
    }

    /// <summary>Admin List RPCs and GetStaffing: admin, or a supervisor (whose view the service filters).</summary>
    public Caller RequireSupervisorOrAdmin(ServerCallContext context, string what)
    {
        var caller = Authenticate(context);
        if (caller.Role is not (GatewayRole.Admin or GatewayRole.Supervisor))
        {
            throw Denied($"role {Name(caller.Role)} may not {what}; it needs a supervisor or admin key");
        }
        return caller;
    }

    /// <summary>Whether <paramref name="caller"/> sees the agent placed at <paramref name="placement"/> (admins see all).</summary>
    public static bool InScope(Caller caller, AgentPlacement placement) => caller.Role switch
    {
        GatewayRole.Admin => true,
        GatewayRole.Supervisor when caller.VendorId is { } vendor => placement.VendorId == vendor,
        GatewayRole.Supervisor when caller.TeamId is { } team => placement.TeamId == team,
        GatewayRole.Agent => placement.AgentId == caller.AgentId,
        _ => false,
    };

    /// <summary>
    /// A wallboard scope: admin sees all; a vendor supervisor its VENDOR, TEAMs and AGENTs; a team supervisor
    /// its TEAM and AGENTs; an agent its own AGENT scope. Validates the scope's shape first (INVALID_ARGUMENT),
    /// then existence (NOT_FOUND) for team and agent scopes, then the permission.
    /// </summary>
    public async ValueTask CheckScopeAsync(Caller caller, Scope scope, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        switch (scope.Kind)
        {
            case ScopeKind.Unspecified:
                throw Invalid($"{field}.kind is SCOPE_KIND_UNSPECIFIED; name a queue, team, vendor, agent or the center");
            case ScopeKind.Center:
                if (!string.IsNullOrEmpty(scope.Id))
                {
                    throw Invalid($"{field}.id must be empty for SCOPE_KIND_CENTER (got '{scope.Id}')");
                }
                RequireAdminScope(caller, "center");
                return;
            case ScopeKind.Queue:
                RequireId(scope, field);
                RequireAdminScope(caller, $"queue/{scope.Id}");
                return;
            case ScopeKind.Vendor:
                RequireId(scope, field);
                if (caller.Role == GatewayRole.Admin)
                {
                    return;
                }
                if (caller.Role == GatewayRole.Supervisor && caller.VendorId == scope.Id)
                {
                    return;
                }
                throw Denied($"vendor/{scope.Id} is outside this key's {ScopeOf(caller)}");
            case ScopeKind.Team:
                RequireId(scope, field);
                if (caller.Role == GatewayRole.Admin)
                {
                    return;
                }
                if (caller.Role == GatewayRole.Supervisor)
                {
                    if (caller.TeamId == scope.Id)
                    {
                        return;
                    }
                    if (caller.VendorId is { } vendor)
                    {
                        var teamVendor = await directory.FindTeamVendorAsync(scope.Id, cancellationToken)
                            ?? throw new RpcException(new Status(StatusCode.NotFound, $"team {scope.Id} does not exist"));
                        if (teamVendor == vendor)
                        {
                            return;
                        }
                    }
                }
                throw Denied($"team/{scope.Id} is outside this key's {ScopeOf(caller)}");
            case ScopeKind.Agent:
                RequireId(scope, field);
                if (caller.Role == GatewayRole.Admin)
                {
                    return;
                }
                if (caller.Role == GatewayRole.Agent)
                {
                    if (caller.AgentId == scope.Id)
                    {
                        return;
                    }
                    throw Denied($"an agent key sees its own agent scope only (agent/{caller.AgentId}), not agent/{scope.Id}");
                }
                if (caller.Role == GatewayRole.Supervisor)
                {
                    var placement = await directory.FindAgentAsync(scope.Id, cancellationToken)
                        ?? throw new RpcException(new Status(StatusCode.NotFound, $"agent {scope.Id} does not exist"));
                    if (InScope(caller, placement))
                    {
                        return;
                    }
                }
                throw Denied($"agent/{scope.Id} is outside this key's {ScopeOf(caller)}");
            default:
                throw Invalid($"{field}.kind {(int)scope.Kind} is not a known scope kind");
        }
    }

    private static void RequireAdminScope(Caller caller, string topic)
    {
        if (caller.Role != GatewayRole.Admin)
        {
            throw Denied($"{topic} mixes vendors; only an admin key may see it");
        }
    }

    private static void RequireId(Scope scope, string field)
    {
        if (string.IsNullOrEmpty(scope.Id))
        {
            throw Invalid($"{field}.id is empty; a {Name(scope.Kind)} scope needs an id");
        }
    }

    private static string ScopeOf(Caller caller) => caller switch
    {
        { Role: GatewayRole.Supervisor, VendorId: { } v } => $"vendor {v}",
        { Role: GatewayRole.Supervisor, TeamId: { } t } => $"team {t}",
        { Role: GatewayRole.Agent } => $"agent {caller.AgentId}",
        _ => $"role {Name(caller.Role)}",
    };

    private static string Name(GatewayRole role) => role.ToString().ToLowerInvariant();

    private static string Name(ScopeKind kind) => kind.ToString().ToLowerInvariant();

    private static RpcException Unauthenticated(string detail) => new(new Status(StatusCode.Unauthenticated, detail));

    internal static RpcException Denied(string detail) => new(new Status(StatusCode.PermissionDenied, detail));

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
