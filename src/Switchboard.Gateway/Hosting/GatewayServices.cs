using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Gateway.Adapters;
using Switchboard.Gateway.Admin;
using Switchboard.Gateway.Desks;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Wallboards;

namespace Switchboard.Gateway.Hosting;

/// <summary>The gRPC services of <c>switchboard.v1</c> and what they need, registered and mapped together.</summary>
internal static class GatewayServices
{
    internal static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<IAgentDirectory, CenterAgentDirectory>();
        services.TryAddSingleton<GatewayAccess>();
        services.TryAddSingleton<OfferAdmission>();
        // Singletons: each holds the sessions of its open streams.
        services.TryAddSingleton<TelephonyAdapterService>();
        services.TryAddSingleton<AgentDeskService>();
        services.TryAddSingleton<WallboardService>();
        services.TryAddSingleton<AdminService>();
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<TelephonyAdapterService>().RequireAuthorization(GatewayAuthorization.TelephonyAdapter.Policy);
        endpoints.MapGrpcService<AgentDeskService>().RequireAuthorization(GatewayAuthorization.AgentDesk.Policy);
        endpoints.MapGrpcService<WallboardService>().RequireAuthorization(GatewayAuthorization.Wallboard.Policy);
        endpoints.MapGrpcService<AdminService>().RequireAuthorization(GatewayAuthorization.Admin.Policy);
    }
}
