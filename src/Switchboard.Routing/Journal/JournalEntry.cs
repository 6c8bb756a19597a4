namespace Switchboard.Routing.Journal;

/// <summary>One entry to append: its type (such as <c>call.answered</c>), time and UTF-8 JSON payload.</summary>
public sealed record JournalEntry(string Type, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The immutable object <see cref="Payload"/> was serialized from, kept in this process only (never stored): a
    /// journal's <see cref="JournalFeed"/> hands it to followers so they need not decode the payload again.
    /// </summary>
    public object? Value { get; init; }
}
