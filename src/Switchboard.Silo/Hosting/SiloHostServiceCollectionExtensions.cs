using Switchboard.Actors.Hosting;
using Switchboard.Gateway.Hosting;

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
        }, configuration);
        // After the runtime: the gateway opens once the grains are ready and drains before they stop.
        services.AddSwitchboardGateway(configuration);
        return services;
    }
}
