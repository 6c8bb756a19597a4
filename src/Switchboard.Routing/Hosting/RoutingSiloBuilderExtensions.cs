using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Hosting;

namespace Switchboard.Routing.Hosting;

/// <summary>Wires the routing grains into a silo.</summary>
public static class RoutingSiloBuilderExtensions
{
    /// <summary>
    /// Adds the routing grains (agents, queues, calls, adapters, center, figures) and loads the center
    /// configuration at start-up (<see cref="RoutingOptions.CenterFile"/> or <see cref="RoutingOptions.Center"/>).
    /// Options come from <c>Switchboard:Routing</c> when a configuration is given, then <paramref name="configure"/>.
    /// </summary>
    public static ISiloBuilder AddRouting(this ISiloBuilder silo, Action<RoutingOptions>? configure = null, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddGrains(typeof(RoutingSiloBuilderExtensions).Assembly);
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
        return silo;
    }
}
