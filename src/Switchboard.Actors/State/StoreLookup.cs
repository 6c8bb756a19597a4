using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Storage;

namespace Switchboard.Actors.State;

/// <summary>The stores grains ask for by name, through the store registry when any store is registered.</summary>
internal sealed class StoreLookup(IServiceProvider services)
{
    private readonly IGrainStoreRegistry? _registry = services.GetService<IGrainStoreRegistry>();

    internal IGrainStore Get(string name) =>
        _registry?.Get(name)
        ?? throw new InvalidOperationException(
            $"Grain state or journal asks for store '{name}', but the silo has no store: add one with silo.UseSqliteStore, UsePostgresStore or UseInMemoryStore.");

    internal IEnumerable<IGrainStore> All() => _registry?.Names.Select(_registry.Get) ?? [];
}
