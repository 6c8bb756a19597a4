using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Gateway.Health;

namespace Switchboard.Gateway.Hosting;

/// <summary>Maps the gateway's endpoints.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>The HTTP path of the liveness check (Kubernetes' livenessProbe).</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The HTTP path of the readiness check (Kubernetes' readinessProbe).</summary>
    public const string ReadyPath = "/readyz";

    /// <summary>
    /// Maps the <c>switchboard.v1</c> services (with gRPC-Web for browsers), <c>grpc.health.v1.Health</c> and server
    /// reflection (v1 and v1alpha), and <c>/healthz</c> and <c>/readyz</c> (plain HTTP). Call after
    /// <c>UseGrpcWeb</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapSwitchboardGateway(this IEndpointRouteBuilder endpoints)
    {
        GatewayServices.Map(endpoints);
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.MapHealthChecks(HealthPath, Probe(GatewayHealth.Live));
        endpoints.MapHealthChecks(ReadyPath, Probe(GatewayHealth.Ready));
        return endpoints;
    }

    private static HealthCheckOptions Probe(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        AllowCachingResponses = false,
        ResponseWriter = async (http, report) =>
        {
            // One line per check, so a person reading the probe sees what is wrong.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"{report.Status}\n");
            foreach (var (name, entry) in report.Entries)
            {
                await http.Response.WriteAsync($"{name}: {entry.Status} ({entry.Description})\n");
            }
        },
    };
}
