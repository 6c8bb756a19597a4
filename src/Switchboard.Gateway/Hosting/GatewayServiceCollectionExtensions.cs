using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Health;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Hosting;

/// <summary>Wires the gateway (gRPC services, API keys, health, reflection) into a silo's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway. Call after <c>UseOrleans</c>: the gateway's hosted service must come after the silo's, so
    /// that it opens after the grains and drains before them. Options come from <c>Switchboard:Gateway</c> when a
    /// configuration is given. Returns the health checks builder, for the host's own readiness checks.
    /// </summary>
    public static IHealthChecksBuilder AddSwitchboardGateway(this IServiceCollection services, IConfiguration? configuration = null, Action<GatewayOptions>? configure = null)
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
            .Validate(o => o.MaxOffersInProgress >= 1, "Switchboard:Gateway:MaxOffersInProgress must be at least 1 (the offers a silo routes at once).")
            .Validate(o => o.MaxReceiveMessageSize >= 1024, "Switchboard:Gateway:MaxReceiveMessageSize must be at least 1024 bytes.")
            .Validate(o => o.MaxSendMessageSize >= 1024, "Switchboard:Gateway:MaxSendMessageSize must be at least 1024 bytes.");

        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorBoundary>();
            grpc.EnableDetailedErrors = false;
        });
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GatewayOptions>>((grpc, gateway) =>
        {
            grpc.MaxReceiveMessageSize = gateway.Value.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = gateway.Value.MaxSendMessageSize;
        });
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(GatewayAuthorization.AddPolicies);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(health =>
        {
            health.Services.Clear();
            health.Services.Map(string.Empty, result => result.Tags.Contains(GatewayHealth.Ready));
            foreach (var name in GatewayHealth.ServiceNames)
            {
                health.Services.Map(name, result => result.Tags.Contains(GatewayHealth.Ready));
            }
        });
        // Watch streams hear of a change within a second (the publisher's default is every 30 s, after 5 s).
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(1);
            publisher.Period = TimeSpan.FromSeconds(1);
        });
        services.TryAddSingleton<GatewayLifetime>();
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton<ErrorBoundary>();
        GatewayServices.Add(services);
        services.AddHostedService<GatewayHostedService>();
        return services.AddHealthChecks().AddCheck<GatewayServingCheck>("gateway", tags: [GatewayHealth.Ready]);
    }
}
