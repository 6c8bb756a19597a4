namespace Switchboard.Actors.Storage;

/// <summary>
/// A storage provider: grain state rows with ETags, and an append-only journal beside them.
/// Writes from many grains are group-committed: one transaction per batch, and a write's task
/// completes only after its batch is durable. Every write carries its partition's epoch, which
/// the store checks (fencing).
/// Writes commit in the order they were queued (the call that queued them returned), across grains and
/// streams: a write is never durable without every write this process queued before it, so a grain may
/// queue its write and ask another grain to act before the write is durable (ADR 004).
/// </summary>
public interface IGrainStore : IAsyncDisposable
{
    /// <summary>The provider name grains ask for in <c>[PersistentState("state", "name")]</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Connects, applies the schema scripts idempotently and starts the commit loop.
    /// Throws <see cref="StoreUnavailableException"/> naming the connection when it cannot.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The stored state of a grain, or null when no row exists.</summary>
    Task<StoredState?> ReadStateAsync(StateKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a state row if <see cref="StateWrite.ETag"/> matches the stored one (null: no row may exist).
    /// Returns the new ETag. Throws <see cref="InconsistentStateException"/> on a stale ETag and
    /// <see cref="StaleEpochException"/> when the partition has moved on to a newer epoch.
    /// </summary>
    Task<string> WriteStateAsync(StateWrite write, CancellationToken cancellationToken);

    /// <summary>Deletes a state row under the same ETag and epoch checks as a write.</summary>
    Task ClearStateAsync(StateClear clear, CancellationToken cancellationToken);

    /// <summary>
    /// Appends records to a journal stream. Sequence numbers are given by the writer and must follow
    /// the stream's last one; a duplicate sequence throws <see cref="JournalConflictException"/>.
    /// </summary>
    Task AppendJournalAsync(JournalAppend append, CancellationToken cancellationToken);

    /// <summary>The last sequence number of a journal stream (0 when it has no records): where the next append starts.</summary>
    Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken);

    /// <summary>Reads journal records, in global append order, that match the query.</summary>
    IAsyncEnumerable<JournalRecord> ReadJournalAsync(JournalQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The records this store commits, handed to followers in this process in position order; null when this process
    /// may not see every append (another process writes the same journal).
    /// </summary>
    JournalFeed? Feed => null;

    /// <summary>Counters a test or benchmark can read: transactions and rows committed.</summary>
    StoreStatistics Statistics { get; }
}
