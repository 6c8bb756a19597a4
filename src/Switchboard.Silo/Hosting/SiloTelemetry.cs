using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Gateway.Telemetry;
using Switchboard.Routing.Telemetry;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// OpenTelemetry export of the routing hot path: traces (<c>Switchboard.Gateway</c>, <c>Switchboard.Routing</c>)
/// and metrics (the <c>Switchboard</c> meter) over OTLP, switched on by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable (the exporter reads the other <c>OTEL_*</c> variables itself).
/// OpenTelemetry.Extensions.Hosting is not on the package source, so the providers are built with
/// <see cref="Sdk"/> and disposed (flushed) with the host.
/// </summary>
internal static class SiloTelemetry
{
    internal const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    internal static IServiceCollection AddSiloTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration[EndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "switchboard-silo";
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceInstanceId: Environment.MachineName);
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(GatewayTelemetry.ActivitySourceName, RoutingTelemetry.ActivitySourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime")
            .AddOtlpExporter()
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(RoutingTelemetry.MeterName, "Switchboard.*")
            .AddOtlpExporter()
            .Build();
        services.AddSingleton(new SiloTelemetryProviders(tracing, metrics, endpoint));
        return services;
    }
}

/// <summary>The OpenTelemetry providers, owned by the container so they flush on shutdown.</summary>
internal sealed class SiloTelemetryProviders(TracerProvider? tracing, MeterProvider? metrics, string endpoint) : IDisposable
{
    public string Endpoint { get; } = endpoint;

    public void Dispose()
    {
        tracing?.Dispose();
        metrics?.Dispose();
    }
}
