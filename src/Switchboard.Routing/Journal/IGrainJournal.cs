namespace Switchboard.Routing.Journal;

/// <summary>
/// A grain's own stream of the <see cref="IEventJournal"/> (named after its grain id, <c>call/fs-1:42</c>), injected
/// into its constructor with <see cref="GrainJournalAttribute"/>. Its last sequence is read before OnActivateAsync.
/// </summary>
public interface IGrainJournal
{
    /// <summary>The stream's name: the grain id.</summary>
    string Stream { get; }

    /// <summary>The sequence number of the last durable record in the stream (0 when empty), known after activation.</summary>
    long LastSequence { get; }

    /// <summary>
    /// The sequence number given to the last record appended, durable or still in flight: an append is numbered when
    /// it is called, so a grain may append again before the first one is durable (the journal commits them in order).
    /// When an append fails, the ones queued after it fail too and numbering goes on from the failed one's place.
    /// </summary>
    long ReservedSequence { get; }

    /// <summary>Appends several records in order, atomically, numbered from <see cref="ReservedSequence"/> + 1; completes once durable.</summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads this grain's records from <paramref name="fromSequence"/> on.</summary>
    IAsyncEnumerable<JournalRecord> ReadAsync(long fromSequence = 1, CancellationToken cancellationToken = default);
}
