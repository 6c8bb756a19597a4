namespace Switchboard.Actors.Placement;

/// <summary>The partition a grain belongs to and the epoch its owner holds; every write carries both.</summary>
public readonly record struct PartitionLease(int Partition, long Epoch);
