namespace Switchboard.Routing.Queues;

/// <summary>
/// What a queue has made durable of its line: each call it holds (waiting or being offered) with what its offers
/// carry. The queue names every call it touches (<see cref="Touched"/>: put in line, replaced, taken out, offered,
/// its extras set or dropped); <see cref="Changes"/> compares those calls alone with their last durable entries, by
/// reference (entries are immutable records, replaced on every change), so a queue journals only the calls that
/// changed and the cost of a change does not grow with the length of the line.
/// </summary>
internal sealed class QueueLineLog
{
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);

    /// <summary>Calls held now, as last made durable.</summary>
    public int Count => _held.Count;

    /// <summary>The calls touched since the last <see cref="Changes"/> (the queue's state adds to it too).</summary>
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    /// <summary>Takes the line as it is durable now (after activation or a checkpoint).</summary>
    public void Reset(IEnumerable<WaitingCall> waiting, IEnumerable<WaitingCall> offered, IReadOnlyDictionary<string, QueueCallExtras> extras)
    {
        _held.Clear();
        Touched.Clear();
        foreach (var entry in waiting)
        {
            _held[entry.CallId] = new Held(entry, false, extras.GetValueOrDefault(entry.CallId));
        }

        foreach (var entry in offered)
        {
            _held[entry.CallId] = new Held(entry, true, extras.GetValueOrDefault(entry.CallId));
        }
    }

    /// <summary>
    /// The touched calls set (new or changed) and removed since the last call; the log then holds the line as it is.
    /// A call both waiting and offered counts as offered.
    /// </summary>
    public QueueLineChange? Changes(QueueState waiting, IReadOnlyDictionary<string, WaitingCall> offered, IReadOnlyDictionary<string, QueueCallExtras> extras)
    {
        if (Touched.Count == 0)
        {
            return null;
        }

        List<QueueLineEntry>? set = null;
        List<string>? removed = null;
        foreach (var callId in Touched)
        {
            var isOffered = offered.TryGetValue(callId, out var entry);
            entry ??= waiting.Find(callId);
            if (entry is null)
            {
                if (_held.Remove(callId))
                {
                    (removed ??= []).Add(callId);
                }

                continue;
            }

            var callExtras = extras.GetValueOrDefault(callId);
            if (_held.TryGetValue(callId, out var held)
                && ReferenceEquals(held.Entry, entry) && held.Offered == isOffered && ReferenceEquals(held.Extras, callExtras))
            {
                continue;
            }

            (set ??= []).Add(new QueueLineEntry(entry, isOffered, callExtras));
            _held[callId] = new Held(entry, isOffered, callExtras);
        }

        Touched.Clear();
        return set is null && removed is null ? null : new QueueLineChange(set ?? [], removed ?? []);
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

    private sealed record Held(WaitingCall Entry, bool Offered, QueueCallExtras? Extras);
}

/// <summary>One call of a queue's line as journaled: the entry, whether it is being offered, its offers' extras.</summary>
[GenerateSerializer, Immutable, Alias("sb.QueueLineEntry")]
internal sealed record QueueLineEntry(WaitingCall Entry, bool Offered, QueueCallExtras? Extras);

/// <summary>A journal record of a queue: calls set (new or changed) and calls gone since the previous record.</summary>
[GenerateSerializer, Alias("sb.QueueLineChange")]
internal sealed record QueueLineChange(List<QueueLineEntry> Set, List<string> Removed);
