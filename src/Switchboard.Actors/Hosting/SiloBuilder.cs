using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Actors.Hosting;

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    internal List<Assembly> Assemblies { get; } = [];

    internal List<Type> GrainClasses { get; } = [];

    public IServiceCollection Services { get; } = services;

    public ISiloBuilder AddGrains(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Assemblies.Add(assembly);
        return this;
    }

    public ISiloBuilder AddGrain<TGrain>() where TGrain : Grain
    {
        GrainClasses.Add(typeof(TGrain));
        return this;
    }
}
