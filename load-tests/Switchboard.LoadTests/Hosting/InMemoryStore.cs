using System.Collections.Concurrent;
using Switchboard.Routing.Journal;

namespace Switchboard.LoadTests.Hosting;

/// <summary>
/// A silo's whole store in this process's memory (grain state rows and the event journal), which outlives the silo:
/// a test restarts a silo on the same store to see what survived. <see cref="Crash"/> stands for the silo dying: every
/// later write fails without reaching the store.
/// </summary>
public sealed class InMemoryStore
{
    private volatile bool _crashed;

    public InMemoryStore(IEventJournal? journal = null)
    {
        Journal = journal ?? new InMemoryEventJournal();
    }

    /// <summary>The journal the silo's grains append to (the test may wrap it).</summary>
    public IEventJournal Journal { get; set; }

    internal ConcurrentDictionary<string, StateRow> States { get; } = new(StringComparer.Ordinal);

    /// <summary>State writes fail from now on, as they would on a silo that died.</summary>
    public void Crash() => _crashed = true;

    /// <summary>Writes are taken again (the next silo on this store).</summary>
    public void Recover() => _crashed = false;

    internal void ThrowIfCrashed()
    {
        if (_crashed)
        {
            throw new JournalUnavailableException("the test store crashed: nothing more is written");
        }
    }

    internal sealed record StateRow(byte[]? Data, long Version);
}
