using Switchboard.Actors.Hosting;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>Composes the silo executable: the runtime and its store, the routing domain, then the gateway.</summary>
internal static class SiloHostServiceCollectionExtensions
{
    internal static IServiceCollection AddSwitchboardSiloHost(this IServiceCollection services, IConfiguration configuration, StoreSelection store)
    {
        services.AddSwitchboardSilo(silo =>
        {
            switch (store.Provider.ToLowerInvariant())
            {
                case "sqlite":
                    Directory.CreateDirectory(Path.GetDirectoryName(store.SqlitePath)!);
                    silo.UseSqliteStore(store.SqlitePath);
                    break;
                case "postgres":
                    if (string.IsNullOrWhiteSpace(store.ConnectionString))
                    {
                        throw new ArgumentException("Switchboard:Store:Provider is postgres but Switchboard:Store:ConnectionString (--postgres) is empty.");
                    }
                    silo.UsePostgresStore(store.ConnectionString);
                    break;
                case "memory":
                    silo.UseInMemoryStore();
                    break;
                default:
                    throw new ArgumentException($"Switchboard:Store:Provider is '{store.Provider}'; use sqlite, postgres or memory.");
            }
            silo.AddRouting(configuration: configuration);
        }, configuration);
        StartRoutingAfterTheRuntime(services);
        // After the runtime: the gateway opens once the grains are ready and drains before they stop.
        services.AddSwitchboardGateway(configuration);
        return services;
    }

    /// <summary>
    /// The routing start-up stage (load the center, wake queues and agents) needs the stores the runtime's
    /// stage opens, but <c>AddRouting</c> registers it inside <c>AddSwitchboardSilo</c>'s callback, before the
    /// runtime's own stage. Hosted services start in registration order, so it is moved behind it here:
    /// store and runtime, then routing, then the gateway; stopped in reverse.
    /// </summary>
    private static void StartRoutingAfterTheRuntime(IServiceCollection services)
    {
        var routing = services
            .Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace == "Switchboard.Routing.Hosting")
            .ToList();
        foreach (var stage in routing)
        {
            services.Remove(stage);
            services.Add(stage);
        }
    }
}
