namespace Switchboard.Actors.Storage;

/// <summary>A state delete under the ETag the writer last saw, with its partition and epoch.</summary>
public sealed record StateClear(StateKey Key, string? ETag, int Partition, long Epoch);
