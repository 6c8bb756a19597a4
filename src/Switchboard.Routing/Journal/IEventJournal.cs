namespace Switchboard.Routing.Journal;

/// <summary>
/// The event journal: one append-only table of records in streams, each stream named after the grain that writes it
/// (<c>call/fs-1:42</c>, <c>agent/a7</c>) and numbered from 1 by that grain. Calls and agents are rebuilt from their
/// streams on activation; figures and interval reports are computed from the call and agent records of every stream.
/// Appends from many grains are group-committed (one transaction per batch) by a silo-wide writer.
/// </summary>
/// <remarks>
/// The sequence numbers are the fencing: an append must start right after the stream's last stored record, so an
/// activation that is no longer the stream's only writer (a duplicate after a membership change, or one that missed
/// a write) is refused with <see cref="JournalConflictException"/> and must deactivate.
/// Appends queued by one process commit in the order they were queued, across streams: an append is never durable
/// without every append (and, on a store that shares its writer with grain state, every state write) that this
/// process queued before it.
/// </remarks>
public interface IEventJournal
{
    /// <summary>
    /// Appends records to one stream, atomically, numbered from <see cref="JournalAppend.FirstSequence"/>. Completes once
    /// durable. Throws <see cref="JournalConflictException"/> when the first sequence does not follow the stream's last
    /// stored one, and <see cref="JournalUnavailableException"/> when the store cannot be reached.
    /// </summary>
    Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default);

    /// <summary>The last sequence number of a stream (0 when it has no records): where its next append starts.</summary>
    Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>The records that match <paramref name="query"/>, in global append order (<see cref="JournalRecord.Position"/>).</summary>
    IAsyncEnumerable<JournalRecord> ReadAsync(JournalQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The records this journal commits, handed to followers in this process in position order; null when this process
    /// may not see every append (several silos write the same journal: PostgreSQL).
    /// </summary>
    JournalFeed? Feed { get; }

    /// <summary>Counters a test or benchmark can read: transactions and rows committed.</summary>
    JournalStatistics Statistics { get; }
}
