using Orleans.Storage;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The silo's grain storage behind the switch of a <see cref="CrashingJournal"/>: once the silo "crashed", no state write reaches the store.</summary>
internal sealed class CrashableGrainStorage(IGrainStorage inner, Func<bool> crashed) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        crashed() ? Task.FromException(Crashed()) : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        crashed() ? Task.FromException(Crashed()) : inner.ClearStateAsync(stateName, grainId, grainState);

    private static InvalidOperationException Crashed() => new("test store: the silo crashed before this write was durable");
}
