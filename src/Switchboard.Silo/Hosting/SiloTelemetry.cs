using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Gateway.Telemetry;
using Switchboard.Routing.Telemetry;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// OpenTelemetry for the silo (OpenTelemetry.Extensions.Hosting). Metrics always: every <c>Switchboard.*</c> meter,
/// Orleans' meter, Kestrel's and the runtime's, served in Prometheus text on <c>/metrics</c> (HTTP port). Over
/// OTLP as well, traces included, when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads
/// the other <c>OTEL_*</c> variables itself). Traces are the gateway's server span of each call (continuing the
/// adapter's <c>traceparent</c>), the grain calls (Orleans' spans) and the routing spans inside them; no tracer
/// listens, and no span is made, without an endpoint.
/// </summary>
internal static class SiloTelemetry
{
    internal const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The HTTP path of the Prometheus metrics.</summary>
    internal const string MetricsPath = "/metrics";

    /// <summary>The trace sources: the gateway, the routing grains, and Orleans' grain calls.</summary>
    internal static readonly string[] TraceSources =
        [GatewayTelemetry.ActivitySourceName, RoutingTelemetry.ActivitySourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];

    internal static IServiceCollection AddSiloTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration[EndpointVariable];
        var otlp = !string.IsNullOrWhiteSpace(endpoint);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "switchboard-silo";
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                // Kestrel's meter (connections), not ASP.NET Core's per-request ones: recording every request's
                // duration and route match took a silo from keeping up with 1,000 offers/s to falling behind in
                // gateway-load (ADR 011); the calls are counted by the switchboard_ and orleans_ series.
                metrics.AddMeter(RoutingTelemetry.MeterName, "Switchboard.*", "Microsoft.Orleans", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddRuntimeInstrumentation()
                    // Every scrape reads the instruments now: the exporter's default keeps one answer for 300 ms.
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(TraceSources).AddOtlpExporter());
            services.AddSingleton(new SiloTelemetryEndpoint(endpoint!));
        }
        return services;
    }

    /// <summary>Serves the metrics on <see cref="MetricsPath"/>.</summary>
    internal static void MapSiloMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath);
}

/// <summary>The OTLP endpoint the silo exports to, when one is configured (for the start-up log line).</summary>
internal sealed record SiloTelemetryEndpoint(string Endpoint);
