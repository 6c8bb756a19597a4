using Switchboard.Contracts.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Health;

/// <summary>The tags of the silo's health checks.</summary>
public static class GatewayHealth
{
    /// <summary>
    /// Readiness: the silo should be sent calls. <c>/readyz</c>, <c>grpc.health.v1.Health</c> for the server ("") and
    /// for each <c>switchboard.v1</c> service report the checks with this tag.
    /// </summary>
    public const string Ready = "ready";

    /// <summary>Liveness: the process answers and should not be restarted. <c>/healthz</c> reports the checks with this tag.</summary>
    public const string Live = "live";

    /// <summary>The services whose health the gateway reports, beside the whole server (empty name): every switchboard.v1 service.</summary>
    public static readonly IReadOnlyList<string> ServiceNames = [.. SwitchboardApi.Services.Select(service => service.FullName)];
}

/// <summary>Ready while the gateway takes calls: after the grains started, until a graceful stop begins.</summary>
internal sealed class GatewayServingCheck(GatewayLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.IsServing
            ? HealthCheckResult.Healthy("the gateway takes calls")
            : HealthCheckResult.Unhealthy(lifetime.Stopping.IsCancellationRequested ? "the silo is stopping" : "the silo is starting"));
}
