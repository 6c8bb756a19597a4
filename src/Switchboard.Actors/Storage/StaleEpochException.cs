namespace Switchboard.Actors.Storage;

/// <summary>A write refused by fencing: the writer's partition epoch is older than the store's.</summary>
public sealed class StaleEpochException : Exception
{
    public StaleEpochException(string target, int partition, long writerEpoch, long currentEpoch)
        : base($"Write to {target} refused: partition {partition} is at epoch {currentEpoch} but the writer holds epoch {writerEpoch}; this silo no longer owns the partition.")
    {
        Partition = partition;
        WriterEpoch = writerEpoch;
        CurrentEpoch = currentEpoch;
    }

    public int Partition { get; }
    public long WriterEpoch { get; }
    public long CurrentEpoch { get; }
}
