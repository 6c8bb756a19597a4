using Switchboard.Routing.Journal;

namespace Switchboard.Silo.Storage.GroupCommit;

/// <summary>A queued journal append.</summary>
internal sealed class JournalAppendOperation(JournalAppend append, CancellationToken cancellationToken) : StoreOperation(cancellationToken)
{
    public JournalAppend Append { get; } = append;

    public override string Target => $"journal stream '{Append.Stream}'";

    protected override Exception Unavailable(string store, string connection, string reason, Exception error) =>
        new JournalUnavailableException($"Store '{store}' at {connection}: {reason}", error);
}
