using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>An Orleans silo in the test process, on ports of its own, with the store <paramref name="configure"/> adds.</summary>
internal static class TestSilo
{
    public static IHost Build(Action<ISiloBuilder> configure, bool localhostClustering = true, string clusterId = "test")
    {
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            if (localhostClustering)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "switchboard-tests", clusterId: clusterId);
            }
            else
            {
                silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, siloPort, gatewayPort);
                silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "switchboard-tests";
                });
            }
            configure(silo);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
