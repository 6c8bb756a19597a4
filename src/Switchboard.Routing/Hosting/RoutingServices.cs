using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Routing.Hosting;

/// <summary>The services the routing grains share inside a silo.</summary>
internal static class RoutingServices
{
    public static void Add(IServiceCollection services)
    {
        // Filled in as the grains land: the center directory and the start-up stage.
        _ = services;
    }
}
