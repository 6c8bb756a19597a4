using System.Runtime.CompilerServices;

namespace Switchboard.Routing.Journal;

/// <summary>
/// An activation's stream of the event journal, numbered by the activation (one writer per grain). It takes part in
/// the grain's lifecycle: the stream's last sequence is read at <see cref="GrainLifecycleStage.SetupState"/>, before
/// OnActivateAsync, as persistent state is.
/// </summary>
internal sealed class GrainJournal : IGrainJournal, ILifecycleObserver
{
    private readonly IEventJournal _journal;

    // True from an activation that found the stream empty until the first append is attempted: reads then have
    // nothing to return and skip the store (a new call's grain replays its journal on activation).
    private bool _knownEmpty;

    public GrainJournal(IGrainContext context, IEventJournal journal)
    {
        _journal = journal;
        Stream = context.GrainId.ToString();
        context.ObservableLifecycle.Subscribe(nameof(GrainJournal), GrainLifecycleStage.SetupState, this);
    }

    public string Stream { get; }

    public long LastSequence { get; private set; }

    public long ReservedSequence { get; private set; }

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        _knownEmpty = false;
        var first = ReservedSequence + 1;
        ReservedSequence += entries.Count;
        try
        {
            await _journal.AppendAsync(new JournalAppend(Stream, first, entries), cancellationToken);
        }
        catch (Exception)
        {
            // Nothing of this append was written, and appends queued after it leave a gap, so the journal refuses them
            // too: the next append takes this one's place (earlier ones still in flight may yet commit).
            ReservedSequence = Math.Min(ReservedSequence, first - 1);
            throw;
        }

        LastSequence = Math.Max(LastSequence, first + entries.Count - 1);
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_knownEmpty)
        {
            yield break;
        }

        await foreach (var record in _journal.ReadAsync(new JournalQuery { Stream = Stream, FromSequence = fromSequence }, cancellationToken))
        {
            yield return record;
        }
    }

    async Task ILifecycleObserver.OnStart(CancellationToken cancellationToken)
    {
        LastSequence = await _journal.GetLastSequenceAsync(Stream, cancellationToken);
        ReservedSequence = LastSequence;
        _knownEmpty = LastSequence == 0;
    }

    Task ILifecycleObserver.OnStop(CancellationToken cancellationToken) => Task.CompletedTask;
}
