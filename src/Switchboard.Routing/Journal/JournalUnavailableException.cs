namespace Switchboard.Routing.Journal;

/// <summary>The journal's store cannot be reached or refused the write for a reason of its own (disk full, database down).</summary>
[GenerateSerializer]
public sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
