namespace Switchboard.Actors.Storage;

/// <summary>Counters kept by a store: committed transactions (batches) and the writes they carried.</summary>
public sealed class StoreStatistics
{
    private long _transactions;
    private long _writes;

    public long Transactions => Interlocked.Read(ref _transactions);
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Records one committed batch of <paramref name="writes"/> writes.</summary>
    public void RecordBatch(int writes)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _writes, writes);
    }
}
