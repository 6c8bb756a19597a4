using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Gateway.Adapters;
using Switchboard.Gateway.Admin;
using Switchboard.Gateway.Desks;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Wallboards;
using Switchboard.Grpc.Server;

namespace Switchboard.Gateway.Hosting;

/// <summary>The gRPC services of <c>switchboard.v1</c> and what they need, registered and mapped together.</summary>
internal static class GatewayServices
{
    internal static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<IAgentDirectory, CenterAgentDirectory>();
        services.TryAddSingleton<GatewayAccess>();
        services.TryAddSingleton<OfferAdmission>();
        services.TryAddSingleton<TelephonyAdapterService>();
        services.TryAddSingleton<AgentDeskService>();
        services.TryAddSingleton<WallboardService>();
        services.TryAddSingleton<AdminService>();
    }

    internal static IEnumerable<GrpcServiceDefinition> Definitions(IServiceProvider services)
    {
        var boundary = services.GetRequiredService<ErrorBoundary>();
        yield return services.GetRequiredService<TelephonyAdapterService>().Definition(boundary);
        yield return services.GetRequiredService<AgentDeskService>().Definition(boundary);
        yield return services.GetRequiredService<WallboardService>().Definition(boundary);
        yield return services.GetRequiredService<AdminService>().Definition(boundary);
    }
}
