using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors.Activation;
using Switchboard.Actors.Placement;
using Switchboard.Actors.Streams;

namespace Switchboard.Actors.Hosting;

/// <summary>Wires the actor runtime into a .NET generic host.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds a silo: the grain runtime, placement, streams and the hosted service that starts stores and
    /// deactivates every grain on shutdown. Options come from <c>Switchboard:Silo</c> when a configuration is given.
    /// </summary>
    public static IServiceCollection AddSwitchboardSilo(this IServiceCollection services, Action<ISiloBuilder> configure, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new SiloBuilder(services);
        configure(builder);

        var options = services.AddOptions<SiloOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(SiloOptions.SectionName));
        }
        options.Validate(o => o.ResponseTimeout > TimeSpan.Zero, "Switchboard:Silo:ResponseTimeout must be positive.")
            .Validate(o => o.DefaultCollectionAge > TimeSpan.Zero, "Switchboard:Silo:DefaultCollectionAge must be positive.")
            .Validate(o => o.CollectionQuantum > TimeSpan.Zero, "Switchboard:Silo:CollectionQuantum must be positive.")
            .Validate(o => o.PartitionCount > 0, "Switchboard:Silo:PartitionCount must be positive.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPlacementDirector, LocalPlacementDirector>();
        services.TryAddSingleton<IStreamProvider, InMemoryStreamProvider>();
        services.TryAddSingleton(sp => new GrainTypeRegistry(
            builder.Assemblies, builder.GrainClasses, sp.GetRequiredService<IOptions<SiloOptions>>().Value.DefaultCollectionAge));
        services.TryAddSingleton(sp => new GrainRuntime(
            sp,
            sp.GetRequiredService<GrainTypeRegistry>(),
            sp.GetRequiredService<IPlacementDirector>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SiloOptions>>(),
            sp.GetRequiredService<ILogger<GrainRuntime>>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<GrainRuntime>().GrainFactory);
        services.TryAddSingleton<ISiloDiagnostics>(sp => new SiloDiagnostics(sp.GetRequiredService<GrainRuntime>()));
        services.AddHostedService<SiloHostedService>();
        return services;
    }
}
