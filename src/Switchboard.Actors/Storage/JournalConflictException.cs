namespace Switchboard.Actors.Storage;

/// <summary>An append whose sequence numbers do not follow the stream's last one.</summary>
public sealed class JournalConflictException : Exception
{
    public JournalConflictException(string stream, long firstSequence, long lastStoredSequence)
        : base($"Journal stream '{stream}' already holds sequence {lastStoredSequence}; an append starting at {firstSequence} conflicts with another writer.")
    {
        Stream = stream;
        FirstSequence = firstSequence;
        LastStoredSequence = lastStoredSequence;
    }

    public string Stream { get; }
    public long FirstSequence { get; }
    public long LastStoredSequence { get; }
}
