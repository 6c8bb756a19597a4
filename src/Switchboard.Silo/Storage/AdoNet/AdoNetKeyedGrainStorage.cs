using Orleans.Storage;

namespace Switchboard.Silo.Storage.AdoNet;

/// <summary>
/// Orleans' AdoNet grain storage with Switchboard's row keys. The provider keys a row by the state name and the grain's
/// key alone, without the grain's type, and reads a string key made of hex digits ("1001") as an integer key, so two
/// grains could share a row (dotnet/orleans#8746, #9737, #9706). This hands it a grain id whose string key is the whole
/// grain id ("agent/1001"): never hex, never a GUID, and naming the type. Everything else is the provider's own.
/// </summary>
internal sealed class AdoNetKeyedGrainStorage(IGrainStorage provider) : IGrainStorage
{
    private static readonly GrainType RowType = GrainType.Create("switchboard");

    /// <summary>The grain id the provider sees for <paramref name="grainId"/>: its string key is the whole id.</summary>
    public static GrainId RowKey(GrainId grainId) => GrainId.Create(RowType, IdSpan.Create(grainId.ToString()));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, RowKey(grainId), grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        provider.ReadStateAsync(stateName, RowKey(grainId), grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.WriteStateAsync(stateName, RowKey(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        provider.WriteStateAsync(stateName, RowKey(grainId), grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ClearStateAsync(stateName, RowKey(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        provider.ClearStateAsync(stateName, RowKey(grainId), grainState, cancellationToken);
}
