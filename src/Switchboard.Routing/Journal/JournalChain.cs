using Switchboard.Actors;
using Switchboard.Actors.Storage;

namespace Switchboard.Routing.Journal;

/// <summary>
/// Appends to a grain journal strictly in the order asked, even when an interleaving request appends while an
/// earlier append is still in flight (the journal numbers records from its last sequence, one writer at a time).
/// </summary>
internal sealed class JournalChain(IGrainJournal journal)
{
    private Task _tail = Task.CompletedTask;

    public IGrainJournal Journal => journal;

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return _tail;
        }

        var previous = _tail;
        var next = AppendAfterAsync(previous, entries);
        _tail = next;
        return next;
    }

    private async Task AppendAfterAsync(Task previous, IReadOnlyList<JournalEntry> entries)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // The earlier append's caller saw its failure; this one goes on by itself.
        }

        await journal.AppendAsync(entries);
    }
}
