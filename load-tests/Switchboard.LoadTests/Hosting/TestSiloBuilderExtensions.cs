using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Switchboard.Routing.Journal;

namespace Switchboard.LoadTests.Hosting;

/// <summary>Runs a silo of this process on a virtual clock and an in-memory store (tests, the simulator, benchmarks).</summary>
public static class TestSiloBuilderExtensions
{
    /// <summary>
    /// The grains' clock (the unkeyed <see cref="TimeProvider"/> and Orleans' <see cref="TimeProviderNames.Grains"/>) is
    /// the virtual one of <paramref name="quiescence"/>, which also counts the silo's grain calls; Orleans' own loops
    /// (messaging timeouts, membership, directory, activation collection) stay on real time, so moving the virtual
    /// clock never runs them inline.
    /// </summary>
    public static ISiloBuilder UseVirtualTime(this ISiloBuilder silo, SiloQuiescence quiescence)
    {
        var services = silo.Services;
        services.AddSingleton(quiescence.TimeProvider);
        services.AddKeyedSingleton(TimeProviderNames.Grains, quiescence.TimeProvider);
        foreach (var area in new[] { TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership, TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory })
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        silo.AddOutgoingGrainCallFilter(quiescence);
        return silo;
    }

    /// <summary>Grain state (the default storage) and the event journal in <paramref name="store"/>, which outlives the silo.</summary>
    public static ISiloBuilder UseInMemoryStore(this ISiloBuilder silo, InMemoryStore store)
    {
        silo.Services.AddSingleton<IEventJournal>(store.Journal);
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (provider, _) => new InMemoryGrainStorage(store, provider.GetRequiredService<Serializer>()));
        return silo;
    }
}
