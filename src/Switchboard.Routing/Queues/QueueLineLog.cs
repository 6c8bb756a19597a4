namespace Switchboard.Routing.Queues;

/// <summary>
/// What a queue has made durable of its line: each call it holds (waiting or being offered) with what its offers
/// carry. <see cref="Changes"/> compares the line now with the last durable one by reference (entries are immutable
/// records, replaced on every change), so a queue journals only the calls that changed, not its whole line.
/// </summary>
internal sealed class QueueLineLog
{
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Calls held now, as last made durable.</summary>
    public int Count => _held.Count;

    /// <summary>Takes the line as it is durable now (after activation or a checkpoint).</summary>
    public void Reset(IEnumerable<WaitingCall> waiting, IEnumerable<WaitingCall> offered, IReadOnlyDictionary<string, QueueCallExtras> extras)
    {
        _held.Clear();
        _ = Changes(waiting, offered, extras);
    }

    /// <summary>The calls set (new or changed) and removed since the last call; the log then holds the line as given.</summary>
    public QueueLineChange? Changes(IEnumerable<WaitingCall> waiting, IEnumerable<WaitingCall> offered, IReadOnlyDictionary<string, QueueCallExtras> extras)
    {
        var generation = ++_generation;
        List<QueueLineEntry>? set = null;
        foreach (var entry in waiting)
        {
            Track(entry, false);
        }

        foreach (var entry in offered)
        {
            Track(entry, true);
        }

        List<string>? removed = null;
        foreach (var (callId, held) in _held)
        {
            if (held.Generation != generation)
            {
                (removed ??= []).Add(callId);
            }
        }

        foreach (var callId in removed ?? [])
        {
            _held.Remove(callId);
        }

        return set is null && removed is null ? null : new QueueLineChange(set ?? [], removed ?? []);

        void Track(WaitingCall entry, bool isOffered)
        {
            var callExtras = extras.GetValueOrDefault(entry.CallId);
            if (_held.TryGetValue(entry.CallId, out var held)
                && ReferenceEquals(held.Entry, entry) && held.Offered == isOffered && ReferenceEquals(held.Extras, callExtras))
            {
                held.Generation = generation;
                return;
            }

            (set ??= []).Add(new QueueLineEntry(entry, isOffered, callExtras));
            _held[entry.CallId] = new Held(entry, isOffered, callExtras) { Generation = generation };
        }
    }

    /// <summary>Replays journaled changes over a checkpoint's line: the line they describe, call by call.</summary>
    public static Dictionary<string, QueueLineEntry> Replay(QueueGrainState checkpoint, IEnumerable<QueueLineChange> changes)
    {
        var line = new Dictionary<string, QueueLineEntry>(StringComparer.Ordinal);
        foreach (var entry in checkpoint.Waiting)
        {
            line[entry.CallId] = new QueueLineEntry(entry, false, checkpoint.Extras.GetValueOrDefault(entry.CallId));
        }

        foreach (var entry in checkpoint.Offered)
        {
            line[entry.CallId] = new QueueLineEntry(entry, true, checkpoint.Extras.GetValueOrDefault(entry.CallId));
        }

        foreach (var change in changes)
        {
            foreach (var entry in change.Set)
            {
                line[entry.Entry.CallId] = entry;
            }

            foreach (var callId in change.Removed)
            {
                line.Remove(callId);
            }
        }

        return line;
    }

    private sealed class Held(WaitingCall entry, bool offered, QueueCallExtras? extras)
    {
        public WaitingCall Entry { get; } = entry;

        public bool Offered { get; } = offered;

        public QueueCallExtras? Extras { get; } = extras;

        public long Generation { get; set; }
    }
}

/// <summary>One call of a queue's line as journaled: the entry, whether it is being offered, its offers' extras.</summary>
internal sealed record QueueLineEntry(WaitingCall Entry, bool Offered, QueueCallExtras? Extras);

/// <summary>A journal record of a queue: calls set (new or changed) and calls gone since the previous record.</summary>
internal sealed record QueueLineChange(List<QueueLineEntry> Set, List<string> Removed);
