using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors.Hosting;
using Switchboard.Actors.Placement;
using Switchboard.Actors.State;

namespace Switchboard.Actors.Activation;

/// <summary>
/// The runtime of one silo: where calls go (placement, then the catalog), the clock, the options.
/// </summary>
internal sealed class GrainRuntime
{
    public GrainRuntime(
        IServiceProvider services,
        GrainTypeRegistry types,
        IPlacementDirector placement,
        TimeProvider timeProvider,
        IOptions<SiloOptions> options,
        ILogger<GrainRuntime> logger)
    {
        Services = services;
        Types = types;
        Placement = placement;
        TimeProvider = timeProvider;
        Options = options.Value;
        Log = new RuntimeLog(logger);
        Work = new WorkTracker();
        Stores = new StoreLookup(services);
        Catalog = new Catalog(this);
        GrainFactory = new GrainFactory(this);
        ResponseTimeoutTicks = (long)(Options.ResponseTimeout.TotalSeconds * timeProvider.TimestampFrequency);
    }

    internal IServiceProvider Services { get; }

    internal GrainTypeRegistry Types { get; }

    internal IPlacementDirector Placement { get; }

    internal TimeProvider TimeProvider { get; }

    internal SiloOptions Options { get; }

    internal RuntimeLog Log { get; }

    internal WorkTracker Work { get; }

    internal StoreLookup Stores { get; }

    internal Catalog Catalog { get; }

    internal IGrainFactory GrainFactory { get; }

    private long ResponseTimeoutTicks { get; }

    /// <summary>Sends a request to a grain: placement, then its activation (created on first use).</summary>
    internal void Send(GrainId grainId, ActivationWorkItem request)
    {
        request.DeadlineTimestamp = TimeProvider.GetTimestamp() + ResponseTimeoutTicks;
        Forward(grainId, request);
    }

    /// <summary>Delivers a request to the grain's current activation, retrying when it was just deactivated.</summary>
    internal void Forward(GrainId grainId, ActivationWorkItem request)
    {
        if (!Placement.IsLocal(grainId))
        {
            request.Fail(new InvalidOperationException($"Grain {grainId} is placed on another silo, and this silo has no links to other silos."));
            return;
        }
        while (true)
        {
            ActivationData activation;
            try
            {
                activation = Catalog.GetOrCreate(grainId);
            }
            catch (Exception exception)
            {
                request.Fail(exception);
                return;
            }
            if (activation.Enqueue(request, allowInline: true))
            {
                return;
            }
        }
    }
}
