using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Metrics;
using Switchboard.Grpc.Health;
using Switchboard.Grpc.Reflection;
using Switchboard.Grpc.Server;

namespace Switchboard.Gateway.Hosting;

/// <summary>Maps the gateway's endpoints.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>The HTTP path of the health check.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The HTTP path of the Prometheus metrics.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Maps the <c>switchboard.v1</c> services, <c>grpc.health.v1.Health</c> and server reflection (gRPC), and
    /// <c>/healthz</c> and <c>/metrics</c> (plain HTTP).
    /// </summary>
    public static IEndpointRouteBuilder MapSwitchboardGateway(this IEndpointRouteBuilder endpoints)
    {
        foreach (var definition in GatewayServices.Definitions(endpoints.ServiceProvider))
        {
            endpoints.MapGrpcService(definition);
        }
        // NOT_SERVING until the gateway's lifecycle stage opens it, after the grains are ready.
        endpoints.ServiceProvider.GetRequiredService<GrpcHealthService>().SetStatus(string.Empty, global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.NotServing);
        endpoints.MapGrpcHealthService();
        endpoints.MapGrpcReflectionService();

        var lifetime = endpoints.ServiceProvider.GetRequiredService<GatewayLifetime>();
        endpoints.MapGet(HealthPath, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return lifetime.IsServing
                ? Results.Text("SERVING\n", "text/plain")
                : Results.Text("NOT_SERVING\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapGet(MetricsPath, () => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
        return endpoints;
    }
}
