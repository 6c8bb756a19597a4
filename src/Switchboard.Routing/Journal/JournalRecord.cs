namespace Switchboard.Routing.Journal;

/// <summary>
/// A journal entry as stored: its global position (append order across all streams), its stream, its sequence within
/// the stream, type, time and payload.
/// </summary>
public sealed record JournalRecord(long Position, string Stream, long Sequence, string Type, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The object the entry was appended with (<see cref="JournalEntry.Value"/>), on records from a <see cref="JournalFeed"/>
    /// in the writer's process; such a record leaves <see cref="Payload"/> empty. Null on records read from the store.
    /// </summary>
    public object? Value { get; init; }
}
