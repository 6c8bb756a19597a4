using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Storage;

namespace Switchboard.Actors.State;

/// <summary>Finds a registered store by name, with an error that lists the names it knows.</summary>
internal sealed class StoreLookup(IServiceProvider services)
{
    internal IGrainStore Get(string name) =>
        services.GetKeyedService<IGrainStore>(name)
        ?? throw new InvalidOperationException(
            $"No store named '{name}' is registered; known stores: {string.Join(", ", All().Select(s => s.Name).DefaultIfEmpty("(none)"))}. Register one with silo.UseSqliteStore, UsePostgresStore or UseInMemoryStore.");

    internal IEnumerable<IGrainStore> All() => services.GetKeyedServices<IGrainStore>(KeyedService.AnyKey).Distinct();
}
