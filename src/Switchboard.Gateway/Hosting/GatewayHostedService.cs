using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Telemetry;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// The gateway's stage of the silo lifecycle. Registered after the actor runtime, so it opens after the
/// grains are ready and, stopping in reverse order, drains before the grains are deactivated.
/// </summary>
internal sealed partial class GatewayHostedService(
    GatewayLifetime lifetime,
    ApiKeyStore keys,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime application,
    ILogger<GatewayHostedService> logger) : IHostedLifecycleService
{
    private Task<bool>? _drain;
    private int _openAtStop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var key in settings.ApiKeys)
        {
            keys.Add(key);
        }
        if (settings.ApiKeys.Count == 0 && settings.DevelopmentKeyWhenNoneConfigured && !keys.HasRole(GatewayRole.Admin))
        {
            var key = ApiKeyStore.NewKey("sb-dev-admin-");
            keys.Add(new ApiKeyDefinition { Key = key, Role = GatewayRole.Admin, Name = "development admin" });
            DevelopmentKey(key);
        }

        // The gateway's series exist from start-up, at zero on an idle silo.
        GatewayTelemetry.OffersRefused.Add(0);
        GatewayTelemetry.OffersInProgress.Add(0);
        lifetime.Open();
        // Kestrel stops before this stage: streams must be told to end first (see StoppingAsync).
        application.ApplicationStopping.Register(() => BeginDrain());
        Serving(settings.GrpcPort, settings.HttpPort, keys.Count);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before any stage's StopAsync, Kestrel's included (it stops first, being registered last): the
    /// gateway's streams end with UNAVAILABLE and open calls finish while the server can still answer them.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await BeginDrain().WaitAsync(cancellationToken);
        if (_openAtStop > 0 && options.Value.DrainGrace > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.DrainGrace, cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var drained = await BeginDrain().WaitAsync(cancellationToken);
        Drained(_openAtStop, drained ? 0 : lifetime.OpenCalls);
    }

    private Task<bool> BeginDrain()
    {
        lock (lifetime)
        {
            if (_drain is null)
            {
                _openAtStop = lifetime.OpenCalls;
                _drain = lifetime.DrainAsync(options.Value.DrainTimeout, CancellationToken.None);
            }
            return _drain;
        }
    }

    [LoggerMessage(9100, LogLevel.Warning, "No API keys configured (Switchboard:Gateway:ApiKeys): development admin key for this run: {Key}")]
    private partial void DevelopmentKey(string key);

    [LoggerMessage(9101, LogLevel.Information, "Gateway serving: gRPC on port {GrpcPort}, HTTP on port {HttpPort}, {KeyCount} API keys")]
    private partial void Serving(int grpcPort, int httpPort, int keyCount);

    [LoggerMessage(9102, LogLevel.Information, "Gateway drained: {OpenCalls} calls were open, {Left} still open after the drain")]
    private partial void Drained(int openCalls, int left);
}
