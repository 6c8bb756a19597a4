using Switchboard.Actors.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>Composes the silo executable: the runtime, its store and (later) the routing domain and gateway.</summary>
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
        return services;
    }
}
