using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace Switchboard.LoadTests.Hosting;

/// <summary>
/// Grain state in this process's memory, for tests and the simulator: each state is kept as serialized bytes (so an
/// activation's later changes never leak into what is stored) with an ETag checked as a durable store checks it. The
/// rows live in an <see cref="InMemoryStore"/> that outlives a silo, so a test can restart a silo on the same store.
/// </summary>
public sealed class InMemoryGrainStorage(InMemoryStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.States.TryGetValue(Key(stateName, grainId), out var row) && row.Data is not null)
        {
            grainState.State = serializer.Deserialize<T>(row.Data);
            grainState.ETag = ETag(row.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = row is null ? null : ETag(row.Version);
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.SerializeToArray(grainState.State);
        var version = Swap(stateName, grainId, grainState.ETag, data);
        grainState.ETag = ETag(version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = Swap(stateName, grainId, grainState.ETag, null);
        grainState.ETag = ETag(version);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private long Swap(string stateName, GrainId grainId, string? etag, byte[]? data)
    {
        store.ThrowIfCrashed();
        var key = Key(stateName, grainId);
        lock (store.States)
        {
            store.States.TryGetValue(key, out var row);
            var stored = row is null ? null : ETag(row.Version);
            // A cleared row keeps its version (read back as its ETag), so an ETag from before the clear never matches again.
            if (!string.Equals(etag, stored, StringComparison.Ordinal))
            {
                throw new InconsistentStateException(
                    $"The {stateName} state of {grainId} was written with ETag '{etag ?? "(none)"}' but the store holds '{stored ?? "(no row)"}'", stored, etag);
            }

            var version = (row?.Version ?? 0) + 1;
            store.States[key] = new InMemoryStore.StateRow(data, version);
            return version;
        }
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
