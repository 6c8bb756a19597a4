using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Switchboard.Silo.Storage.AdoNet;

/// <summary>
/// Registers Orleans' AdoNet grain storage as the default provider (<c>"Default"</c>), behind
/// <see cref="AdoNetKeyedGrainStorage"/>: the provider itself under <see cref="ProviderName"/>, reading its queries at
/// <see cref="StoreLifecycleStage.AdoNetGrainStorage"/>, after Switchboard's schema script ran.
/// </summary>
internal static class AdoNetGrainStorageRegistration
{
    /// <summary>The name the AdoNet provider itself is registered under; grains use "Default".</summary>
    public const string ProviderName = "switchboard-adonet";

    public static void AddDefaultAdoNetGrainStorage(IServiceCollection services, string invariant, string connectionString, IGrainStorageSerializer? serializer)
    {
        services.AddAdoNetGrainStorage(ProviderName, builder => builder.Configure<Serializer>((options, orleansSerializer) =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
            options.InitStage = StoreLifecycleStage.AdoNetGrainStorage;
            options.GrainStorageSerializer = serializer ?? new OrleansGrainStorageSerializer(orleansSerializer);
            // Cleared rows stay as tombstones so ETags never repeat; the scripts have no DeleteStorageKey.
            options.DeleteStateOnClear = false;
        }));
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (sp, _) => new AdoNetKeyedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(ProviderName)));
    }
}
