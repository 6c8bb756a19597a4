using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Gateway.Security;

/// <summary>
/// The role each <c>switchboard.v1</c> service takes, as ASP.NET Core authorization policies on its endpoints. Finer
/// rules that depend on the request (an adapter key's adapter id, an agent key's agent id, a supervisor's vendor or
/// team) are <see cref="GatewayAccess"/>'s, inside the service.
/// </summary>
internal static class GatewayAuthorization
{
    /// <summary>A service, the policy on its endpoints, the roles it takes, and what a refused caller is told.</summary>
    internal sealed record ServicePolicy(string Service, string Policy, GatewayRole[] Roles, string Needs);

    internal static readonly ServicePolicy TelephonyAdapter =
        new("TelephonyAdapter", "switchboard.adapter", [GatewayRole.Adapter], "it needs an adapter key");

    internal static readonly ServicePolicy AgentDesk =
        new("AgentDesk", "switchboard.desk", [GatewayRole.Agent, GatewayRole.Supervisor, GatewayRole.Admin], "it needs an agent, supervisor or admin key");

    internal static readonly ServicePolicy Wallboard =
        new("Wallboard", "switchboard.wallboard", [GatewayRole.Agent, GatewayRole.Supervisor, GatewayRole.Admin], "it needs an agent, supervisor or admin key");

    internal static readonly ServicePolicy Admin =
        new("Admin", "switchboard.admin", [GatewayRole.Supervisor, GatewayRole.Admin], "it needs a supervisor or admin key");

    internal static readonly IReadOnlyList<ServicePolicy> Services = [TelephonyAdapter, AgentDesk, Wallboard, Admin];

    internal static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var service in Services)
        {
            options.AddPolicy(service.Policy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(service.Roles.Select(ApiKeyAuthenticationHandler.RoleName)));
        }
    }

    /// <summary>What a caller of <paramref name="role"/> refused by <paramref name="service"/>'s policy is told.</summary>
    internal static string Refusal(string service, GatewayRole role) =>
        Services.FirstOrDefault(s => s.Service == service) is { } policy
            ? $"role {ApiKeyAuthenticationHandler.RoleName(role)} may not use {service}; {policy.Needs}"
            : $"role {ApiKeyAuthenticationHandler.RoleName(role)} may not use {service}";
}
