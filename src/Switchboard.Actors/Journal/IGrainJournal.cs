using Switchboard.Actors.Storage;

namespace Switchboard.Actors;

/// <summary>
/// The grain's append-only journal stream (named after the grain id), injected as a constructor parameter.
/// Appends are group-committed with state writes and carry the activation's partition epoch.
/// </summary>
public interface IGrainJournal
{
    /// <summary>The sequence number of the last record in the stream (0 when empty), known after activation.</summary>
    long LastSequence { get; }

    /// <summary>
    /// The sequence number given to the last record appended, durable or still in flight: an append is numbered when
    /// it is called, so a grain may append again before the first one is durable (the store commits them in order).
    /// When an append fails, the ones queued after it fail too and numbering goes on from the failed one's place.
    /// </summary>
    long ReservedSequence { get; }

    /// <summary>Appends one record whose payload is serialized as JSON; completes once durable.</summary>
    Task AppendAsync<TPayload>(string type, TPayload payload, CancellationToken cancellationToken = default);

    /// <summary>Appends several records in order, atomically, numbered from <see cref="ReservedSequence"/> + 1; completes once durable.</summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads this grain's records from <paramref name="fromSequence"/> on.</summary>
    IAsyncEnumerable<JournalRecord> ReadAsync(long fromSequence = 1, CancellationToken cancellationToken = default);
}
