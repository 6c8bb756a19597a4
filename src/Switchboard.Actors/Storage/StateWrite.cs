namespace Switchboard.Actors.Storage;

/// <summary>
/// A state write: the new serialized state, the ETag the writer last saw (null when it saw no row),
/// and the partition and epoch the writing activation holds.
/// </summary>
public sealed record StateWrite(StateKey Key, ReadOnlyMemory<byte> Data, string? ETag, int Partition, long Epoch);
