using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Routing.Configuration;

namespace Switchboard.Routing.Hosting;

/// <summary>The services the routing grains share inside a silo.</summary>
internal static class RoutingServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<CenterDirectory>();
        services.AddHostedService<RoutingStartup>();
    }
}
