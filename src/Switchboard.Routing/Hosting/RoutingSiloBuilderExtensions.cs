using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Switchboard.Routing.Hosting;

/// <summary>Wires the routing grains into an Orleans silo.</summary>
public static class RoutingSiloBuilderExtensions
{
    /// <summary>
    /// Adds what the routing grains (agents, queues, calls, adapters, center, figures) need, and the start-up stage that
    /// loads the center configuration (<see cref="RoutingOptions.CenterFile"/> or <see cref="RoutingOptions.Center"/>)
    /// and wakes every configured queue and agent once the silo is active. Options come from <c>Switchboard:Routing</c>
    /// when a configuration is given, then <paramref name="configure"/>. The grains find their event journal as an
    /// <see cref="Journal.IEventJournal"/> service: the store's (an in-memory one when none is registered).
    /// </summary>
    public static ISiloBuilder AddRouting(this ISiloBuilder silo, Action<RoutingOptions>? configure = null, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var options = silo.Services.AddOptions<RoutingOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RoutingOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.DeskDisconnectGrace >= TimeSpan.Zero, "Switchboard:Routing:DeskDisconnectGrace must not be negative.")
            .Validate(o => o.AckTimeout > TimeSpan.Zero, "Switchboard:Routing:AckTimeout must be positive.")
            .Validate(o => o.QueueTick > TimeSpan.Zero, "Switchboard:Routing:QueueTick must be positive.")
            .Validate(o => o.FiguresRefreshInterval > TimeSpan.Zero, "Switchboard:Routing:FiguresRefreshInterval must be positive.");
        RoutingServices.Add(silo.Services);
        silo.AddIncomingGrainCallFilter<StaleActivationFilter>();
        silo.AddOutgoingGrainCallFilter<StaleActivationRetryFilter>();
        return silo;
    }
}
