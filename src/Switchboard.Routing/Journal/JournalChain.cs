
namespace Switchboard.Routing.Journal;

/// <summary>
/// Appends to a grain journal strictly in the order asked, each one only after the one before it has finished, even
/// when an interleaving request appends while an earlier append is still in flight. The journal itself numbers
/// appends as they are called and would let them run together, but then an append queued after one that fails is
/// refused too (it leaves a gap); through the chain, each append stands on its own.
/// </summary>
internal sealed class JournalChain(IGrainJournal journal)
{
    private Task _tail = Task.CompletedTask;

    // Appends started and not yet finished. When the last one finishes the chain lets go of its task: the chain lives
    // as long as its grain, and a finished task held there would be an old object pointing at a young one, which
    // every garbage collection until the next gen1 scans again.
    private int _running;

    public IGrainJournal Journal => journal;

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return _tail;
        }

        var previous = _tail;
        _running++;
        var next = AppendAfterAsync(previous, entries);
        // Set only while the append runs: one that finished already has cleared the chain (it may finish at once).
        if (!next.IsCompleted)
        {
            _tail = next;
        }

        return next;
    }

    private async Task AppendAfterAsync(Task previous, IReadOnlyList<JournalEntry> entries)
    {
        try
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
        finally
        {
            // The grain's turns run one at a time, so the count needs no lock. Nothing is running: every append of the
            // chain has finished, and the next one needs nothing to wait for.
            if (--_running == 0)
            {
                _tail = Task.CompletedTask;
            }
        }
    }
}
