using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.GroupCommit;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// The event journal on the embedded store's file. Appends share the grain storage's writer and committer, so what
/// this process queued commits in the order it was queued, state writes and appends alike, many in one transaction.
/// This process is the file's only writer, so it offers a <see cref="Feed"/>.
/// </summary>
internal sealed class SqliteEventJournal(SqliteStore store) : IEventJournal
{
    public JournalFeed? Feed => store.Feed;

    public JournalStatistics Statistics => store.Statistics;

    public Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        StoreRules.Validate(append);
        return store.EnqueueAsync(new JournalAppendOperation(append, cancellationToken));
    }

    public Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store.GetLastSequence(stream));
    }

    public IAsyncEnumerable<JournalRecord> ReadAsync(JournalQuery query, CancellationToken cancellationToken = default)
    {
        StoreRules.Validate(query);
        return store.ReadJournalAsync(query, cancellationToken);
    }
}
