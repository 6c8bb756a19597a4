namespace Switchboard.Routing.Journal;

/// <summary>Counters kept by a journal (and a store that shares its writer): committed transactions and the writes they carried.</summary>
public sealed class JournalStatistics
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
