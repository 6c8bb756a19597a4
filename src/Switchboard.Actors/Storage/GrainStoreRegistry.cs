using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Actors.Storage;

/// <summary>Resolves stores registered as keyed <see cref="IGrainStore"/> singletons.</summary>
internal sealed class GrainStoreRegistry : IGrainStoreRegistry
{
    private readonly IServiceProvider _services;
    private readonly GrainStoreNames _names;

    public GrainStoreRegistry(IServiceProvider services, GrainStoreNames names)
    {
        _services = services;
        _names = names;
    }

    public IReadOnlyList<string> Names => _names.Names;

    public IGrainStore Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_names.Names.Contains(name, StringComparer.Ordinal))
        {
            var known = _names.Names.Count == 0 ? "(none)" : string.Join(", ", _names.Names);
            throw new KeyNotFoundException($"No grain store named '{name}' is registered; known: {known}. Register it with services.Add*GrainStore(\"{name}\", ...).");
        }
        return _services.GetRequiredKeyedService<IGrainStore>(name);
    }
}
