using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Switchboard.Routing.Journal;

/// <summary>
/// The journal records a store commits, in global position order, handed to followers in this process as they
/// commit: a reader that would otherwise poll <see cref="IEventJournal.ReadAsync"/> for what was appended since
/// its last position (live figures) takes them from memory instead, with the appended objects themselves. Only a
/// store that is the journal's one writer offers a feed (SQLite, in memory); with several writers (PostgreSQL) a
/// process does not see every append and must read.
/// </summary>
public sealed class JournalFeed
{
    private readonly object _lock = new();
    private JournalFollower[] _followers = [];

    /// <summary>Whether anyone follows: a store skips building feed records when nobody does.</summary>
    public bool HasFollowers => Volatile.Read(ref _followers).Length > 0;

    /// <summary>
    /// Starts following the records committed from now on whose type is one of <paramref name="types"/>. To see
    /// every record, follow first, then read the store up to its end, then take from the follower skipping positions
    /// already read. <paramref name="capacity"/> bounds the records waiting: beyond it the follower is
    /// <see cref="JournalFollower.Overflowed"/> and the reader must go back to the store.
    /// </summary>
    public JournalFollower Follow(IEnumerable<string> types, int capacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var follower = new JournalFollower(this, types.ToFrozenSet(StringComparer.Ordinal), capacity);
        lock (_lock)
        {
            _followers = [.. _followers, follower];
        }
        return follower;
    }

    /// <summary>Whether some follower takes records of <paramref name="type"/>: a store builds feed records only for those.</summary>
    public bool Wants(string type)
    {
        foreach (var follower in Volatile.Read(ref _followers))
        {
            if (follower.Wants(type))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The record a follower gets for an appended entry: with the entry's value and no payload when it has a value,
    /// else with the payload.
    /// </summary>
    public static JournalRecord Record(long position, string stream, long sequence, JournalEntry entry, DateTimeOffset timestamp) =>
        new(position, stream, sequence, entry.Type, timestamp, entry.Value is null ? entry.Payload : ReadOnlyMemory<byte>.Empty) { Value = entry.Value };

    /// <summary>Hands committed records, in position order, to every follower (called by the store after a commit).</summary>
    public void Publish(IReadOnlyList<JournalRecord> records)
    {
        foreach (var follower in Volatile.Read(ref _followers))
        {
            follower.Offer(records);
        }
    }

    /// <summary>
    /// Tells every follower that records were committed it will not be handed (another process appended to the
    /// journal): each is <see cref="JournalFollower.Overflowed"/> and goes back to the store.
    /// </summary>
    public void Interrupt()
    {
        foreach (var follower in Volatile.Read(ref _followers))
        {
            follower.Interrupt();
        }
    }

    internal void Remove(JournalFollower follower)
    {
        lock (_lock)
        {
            _followers = Array.FindAll(_followers, f => !ReferenceEquals(f, follower));
        }
    }
}

/// <summary>One reader's place in a <see cref="JournalFeed"/>: records wait here until taken.</summary>
public sealed class JournalFollower : IDisposable
{
    private readonly JournalFeed _feed;
    private readonly FrozenSet<string> _types;
    private readonly int _capacity;
    private readonly ConcurrentQueue<JournalRecord> _waiting = new();
    private int _count;
    private volatile bool _overflowed;
    private int _signalAt = int.MaxValue;
    private Action? _signal;

    internal JournalFollower(JournalFeed feed, FrozenSet<string> types, int capacity)
    {
        _feed = feed;
        _types = types;
        _capacity = capacity;
    }

    /// <summary>
    /// True once records were dropped (more waited than the capacity allowed, or another process appended to the
    /// journal): read the store instead, and follow anew.
    /// </summary>
    public bool Overflowed => _overflowed;

    /// <summary>
    /// Calls <paramref name="signal"/> each time <paramref name="waiting"/> records wait, so a reader that takes
    /// records on a timer also takes them before they pile up. The signal runs on the store's commit thread: it must
    /// only hand the work elsewhere (queue it), never do it.
    /// </summary>
    public void SignalWhenWaiting(int waiting, Action signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waiting, 1);
        _signal = signal ?? throw new ArgumentNullException(nameof(signal));
        _signalAt = waiting;
    }

    /// <summary>Takes the oldest waiting record.</summary>
    public bool TryTake(out JournalRecord record)
    {
        if (_waiting.TryDequeue(out record!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }
        return false;
    }

    /// <summary>Stops following; waiting records are dropped.</summary>
    public void Dispose()
    {
        _feed.Remove(this);
        _waiting.Clear();
    }

    internal bool Wants(string type) => !_overflowed && _types.Contains(type);

    internal void Interrupt()
    {
        _overflowed = true;
        _waiting.Clear();
        _signal?.Invoke();
    }

    internal void Offer(IReadOnlyList<JournalRecord> records)
    {
        if (_overflowed)
        {
            return;
        }
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!_types.Contains(record.Type))
            {
                continue;
            }
            var count = Interlocked.Increment(ref _count);
            if (count > _capacity)
            {
                _overflowed = true;
                _waiting.Clear();
                _signal?.Invoke();
                return;
            }
            _waiting.Enqueue(record);
            if (count == _signalAt)
            {
                _signal?.Invoke();
            }
        }
    }
}
