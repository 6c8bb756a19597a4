namespace Switchboard.Routing.Journal;

/// <summary>
/// Which journal records to read. Every set field narrows the result: one stream (from a sequence on), streams by
/// prefix (such as <c>call/</c>), record types, a time window [From, To), and records after a global position.
/// </summary>
public sealed record JournalQuery
{
    public string? Stream { get; init; }

    public string? StreamPrefix { get; init; }

    /// <summary>Only records of these types (null: every type), so a reader that needs a few kinds skips the rest.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    public long FromSequence { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public long AfterPosition { get; init; }

    public int? Limit { get; init; }
}
