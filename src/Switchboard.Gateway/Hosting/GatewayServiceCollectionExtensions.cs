using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Metrics;
using Switchboard.Gateway.Security;
using Switchboard.Grpc.Server;

namespace Switchboard.Gateway.Hosting;

/// <summary>Wires the gateway (gRPC services, API keys, health, metrics) into a silo's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway. Call after <c>AddSwitchboardSilo</c>: the gateway's lifecycle stage must come after
    /// the runtime's, so that it opens after the grains and drains before them. Options come from
    /// <c>Switchboard:Gateway</c> when a configuration is given.
    /// </summary>
    public static IServiceCollection AddSwitchboardGateway(this IServiceCollection services, IConfiguration? configuration = null, Action<GatewayOptions>? configure = null)
    {
        var options = services.AddOptions<GatewayOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(GatewayOptions.SectionName));
        }
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.Validate(o => o.GrpcPort is >= 0 and <= 65535, "Switchboard:Gateway:GrpcPort must be a port number (0-65535).")
            .Validate(o => o.HttpPort is >= 0 and <= 65535, "Switchboard:Gateway:HttpPort must be a port number (0-65535).")
            .Validate(o => o.GrpcPort == 0 || o.GrpcPort != o.HttpPort, "Switchboard:Gateway:GrpcPort and HttpPort must differ.")
            .Validate(o => o.MaxOffersInProgress >= 1, "Switchboard:Gateway:MaxOffersInProgress must be at least 1 (the offers a silo routes at once).");

        services.AddGrpcServer();
        services.TryAddSingleton<GatewayLifetime>();
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<ErrorBoundary>();
        GatewayServices.Add(services);
        services.AddHostedService<GatewayHostedService>();
        return services;
    }
}
