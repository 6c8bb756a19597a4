using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Actors.Activation;

namespace Switchboard.Actors.Hosting;

/// <summary>
/// The silo's lifecycle in the host: stores first (connect, schema), then the catalog's timers; on stop,
/// every activation is deactivated (state persisted) before the stores are disposed.
/// </summary>
internal sealed partial class SiloHostedService(GrainRuntime runtime, ILogger<SiloHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the registry validates every grain class (constructor parameters, state types) up front.
        var grainClasses = runtime.Types.Classes.Count();
        foreach (var store in runtime.Stores.All())
        {
            await store.InitializeAsync(cancellationToken);
            StoreReady(store.Name);
        }
        runtime.Catalog.Start();
        SiloStarted(grainClasses);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var count = runtime.Catalog.Count;
        await runtime.Catalog.DeactivateAllAsync(cancellationToken);
        SiloStopped(count);
    }

    [LoggerMessage(1100, LogLevel.Information, "Store '{StoreName}' ready")]
    private partial void StoreReady(string storeName);

    [LoggerMessage(1101, LogLevel.Information, "Silo started with {GrainClassCount} grain classes")]
    private partial void SiloStarted(int grainClassCount);

    [LoggerMessage(1102, LogLevel.Information, "Silo stopped: {ActivationCount} activations deactivated")]
    private partial void SiloStopped(int activationCount);
}
