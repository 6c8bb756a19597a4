using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Dashboard;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.Hosting;
using Switchboard.Routing.Hosting;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Storage.PreviousBuild;
using Switchboard.Silo.Storage.Sqlite;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Composes the silo executable: an Orleans silo (<c>UseOrleans</c>) with its store and clustering, the routing grains,
/// then the gateway. Started in that order and stopped in reverse: the gateway opens once the silo is active and
/// drains before its grains are deactivated.
/// </summary>
internal static class SiloHostServiceCollectionExtensions
{
    internal static WebApplicationBuilder AddSwitchboardSiloHost(this WebApplicationBuilder builder, StoreSelection store)
    {
        var configuration = builder.Configuration;
        var silo = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        Validate(silo);
        builder.UseOrleans(orleans =>
        {
            switch (store.Provider.ToLowerInvariant())
            {
                case "sqlite":
                    PreviousBuildData.ThrowIfPreviousBuild(Path.GetFullPath(store.DataDirectory));
                    orleans.AddSwitchboardSqliteStore(o => configuration.GetSection(SqliteStoreOptions.SectionName).Bind(o));
                    orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
                    break;
                case "postgres":
                    if (string.IsNullOrWhiteSpace(store.ConnectionString))
                    {
                        throw new ArgumentException("Switchboard:Store:Provider is postgres but Switchboard:Store:ConnectionString (--postgres) is empty.");
                    }

                    orleans.AddSwitchboardPostgresStore(o => configuration.GetSection(PostgresStoreOptions.SectionName).Bind(o));
                    orleans.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = silo.ClusterId;
                        o.ServiceId = silo.ServiceId;
                    });
                    orleans.ConfigureEndpoints(AdvertisedAddress(silo), silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                    break;
                case "memory":
                    orleans.AddMemoryGrainStorageAsDefault();
                    orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
                    break;
                default:
                    throw new ArgumentException($"Switchboard:Store:Provider is '{store.Provider}'; use sqlite, postgres or memory.");
            }

            orleans.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = silo.ResponseTimeout);
            orleans.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = silo.DefaultCollectionAge;
                o.CollectionQuantum = silo.CollectionQuantum;
                o.ActivationTimeout = silo.ActivationTimeout;
                o.DeactivationTimeout = silo.DeactivationTimeout;
            });
            orleans.AddRouting(configuration: configuration);
            // An offer's trace goes on through the grain calls it makes (W3C traceparent in the call's request context).
            orleans.AddActivityPropagation();
            if (silo.Dashboard)
            {
                orleans.AddDashboard(_ => { });
            }
        });
        // After the silo: the gateway opens once the grains are ready and drains before they stop.
        builder.Services.AddSwitchboardGateway(configuration)
            .AddCheck<SiloActiveCheck>("silo", tags: [GatewayHealth.Ready])
            .AddCheck<StoreAnswersCheck>("store", tags: [GatewayHealth.Ready]);
        return builder;
    }

    private static void Validate(SiloOptions silo)
    {
        foreach (var (name, port) in new[] { ("SiloPort (--silo-port)", silo.SiloPort), ("GatewayPort (--gateway-port)", silo.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new ArgumentException($"Switchboard:Silo:{name} is {port}; it must be a port number (1-65535).");
            }
        }

        if (silo.SiloPort == silo.GatewayPort)
        {
            throw new ArgumentException($"Switchboard:Silo:SiloPort and GatewayPort are both {silo.SiloPort}; they must differ.");
        }

        if (string.IsNullOrWhiteSpace(silo.ClusterId))
        {
            throw new ArgumentException("Switchboard:Silo:ClusterId (--cluster-id) is empty.");
        }

        if (silo.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            throw new ArgumentException($"Switchboard:Silo:AdvertisedAddress (--advertised-address) '{address}' is not an IP address.");
        }
    }

    private static IPAddress AdvertisedAddress(SiloOptions silo)
    {
        if (silo.AdvertisedAddress is { Length: > 0 } address)
        {
            return IPAddress.Parse(address);
        }

        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
