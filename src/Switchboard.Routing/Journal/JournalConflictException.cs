using Orleans.Storage;

namespace Switchboard.Routing.Journal;

/// <summary>
/// An append whose sequence numbers do not follow the stream's last one: another activation wrote the stream since
/// this one read it. An <see cref="InconsistentStateException"/>, as a stale ETag is: the grain deactivates and the
/// operation is retried on a fresh activation that reads the stream again.
/// </summary>
[GenerateSerializer]
public sealed class JournalConflictException : InconsistentStateException
{
    public JournalConflictException(string stream, long firstSequence, long lastStoredSequence)
        : base($"Journal stream '{stream}' already holds sequence {lastStoredSequence}; an append starting at {firstSequence} conflicts with another writer.",
            lastStoredSequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (firstSequence - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        Stream = stream;
        FirstSequence = firstSequence;
        LastStoredSequence = lastStoredSequence;
    }

    [Id(0)]
    public string Stream { get; }

    [Id(1)]
    public long FirstSequence { get; }

    [Id(2)]
    public long LastStoredSequence { get; }
}
