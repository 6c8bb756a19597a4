using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Switchboard.Silo.Storage.GroupCommit;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// Orleans grain storage on the embedded store's file, group-committed with the event journal on one writer (ADR 012).
/// A row per (grain type, grain key, state name); the ETag is the row's version. A write expecting no ETag succeeds
/// only where no row exists; a write or clear expecting an ETag only on the row at that version; otherwise
/// <see cref="InconsistentStateException"/>. A clear keeps the row as a tombstone whose version goes on counting, and
/// the grain keeps that version as its ETag, so an ETag never repeats.
/// </summary>
internal sealed class SqliteGrainStorage(SqliteStore store, IGrainStorageSerializer serializer, IActivatorProvider activators) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        StoreRules.Validate(stateName, grainId);
        cancellationToken.ThrowIfCancellationRequested();
        var row = store.ReadState(stateName, grainId);
        if (row is { Data: { } data } live)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(data))!;
            grainState.ETag = StoreRules.RenderETag(live.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = row is { } tombstone ? StoreRules.RenderETag(tombstone.Version) : null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        StoreRules.Validate(stateName, grainId);
        // Serialized here, on the grain's turn, so the commit thread only binds bytes.
        var data = serializer.Serialize(grainState.State).ToMemory();
        var etag = await store.EnqueueAsync(new StateWriteOperation(stateName, grainId, data, grainState.ETag, isClear: false, cancellationToken)).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        StoreRules.Validate(stateName, grainId);
        var etag = await store.EnqueueAsync(new StateWriteOperation(stateName, grainId, ReadOnlyMemory<byte>.Empty, grainState.ETag, isClear: true, cancellationToken)).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }
}
