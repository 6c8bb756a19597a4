using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Actors.Hosting;

/// <summary>Configures a silo: its grains, its stores and its options. Obtained from AddSwitchboardSilo.</summary>
public interface ISiloBuilder
{
    /// <summary>The host's services, for registering what grains need.</summary>
    IServiceCollection Services { get; }

    /// <summary>Adds the grain classes found in <paramref name="assembly"/>.</summary>
    ISiloBuilder AddGrains(Assembly assembly);

    /// <summary>Adds one grain class.</summary>
    ISiloBuilder AddGrain<TGrain>() where TGrain : Grain;
}
