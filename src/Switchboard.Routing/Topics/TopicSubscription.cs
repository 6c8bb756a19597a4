using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Switchboard.Routing.Topics;

/// <summary>
/// One subscriber's view of a topic (or of one key of it): the snapshot taken when it subscribed, then the
/// changes. Changes the reader has not taken yet are coalesced per key (latest wins), so a slow reader holds at
/// most one pending value per key, never an unbounded backlog.
/// </summary>
/// <remarks>
/// One reader at a time: <see cref="ReadAsync"/> is awaited before the next call, as with any
/// <see cref="ValueTask"/>. A read that has to wait reuses the subscription itself as what it awaits, so a
/// reader waiting for the next change (an agent's desk, most of the time) holds no object younger than its
/// subscription: nothing for every gen0 collection to find through the topic and copy, and nothing allocated
/// per change.
/// </remarks>
public sealed class TopicSubscription<T> : IDisposable, IValueTaskSource<TopicItem<T>>
{
    private readonly object _lock = new();
    private readonly Dictionary<string, TopicItem<T>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Action<TopicSubscription<T>> _unsubscribe;
    private ManualResetValueTaskSourceCore<TopicItem<T>> _read = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _readCancellation;
    private CancellationToken _readToken;
    private bool _reading;
    private bool _disposed;
    private long _coalesced;

    internal TopicSubscription(IReadOnlyList<TopicItem<T>> snapshot, Action<TopicSubscription<T>> unsubscribe, string? key = null)
    {
        Snapshot = snapshot;
        _unsubscribe = unsubscribe;
        Key = key;
    }

    /// <summary>The latest value of every key (or of <see cref="Key"/> alone) when the subscription began.</summary>
    public IReadOnlyList<TopicItem<T>> Snapshot { get; }

    /// <summary>The one key this subscription follows, or null for every key of the topic.</summary>
    public string? Key { get; }

    /// <summary>How many changes were replaced by a newer value of the same key before the reader took them.</summary>
    public long CoalescedCount => Interlocked.Read(ref _coalesced);

    /// <summary>The number of changes waiting to be read (at most one per key).</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _order.Count;
            }
        }
    }

    internal void Offer(TopicItem<T> item)
    {
        CancellationTokenRegistration cancellation;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (!_reading)
            {
                if (_pending.ContainsKey(item.Key))
                {
                    _coalesced++;
                }
                else
                {
                    _order.Enqueue(item.Key);
                }
                _pending[item.Key] = item;
                return;
            }

            // A read is waiting, so nothing is pending: the change goes straight to it.
            cancellation = EndRead();
        }
        cancellation.Unregister();
        _read.SetResult(item);
    }

    /// <summary>
    /// The next change, at once when one is pending. Throws <see cref="ObjectDisposedException"/> once unsubscribed,
    /// <see cref="InvalidOperationException"/> while another read is waiting.
    /// </summary>
    public ValueTask<TopicItem<T>> ReadAsync(CancellationToken cancellationToken = default)
    {
        short version;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_reading)
            {
                throw new InvalidOperationException("a read of this subscription is already waiting; one reader at a time");
            }
            if (_order.TryDequeue(out var key))
            {
                _pending.Remove(key, out var item);
                return new ValueTask<TopicItem<T>>(item);
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<TopicItem<T>>(cancellationToken);
            }
            _read.Reset();
            version = _read.Version;
            _reading = true;
            _readToken = cancellationToken;
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Registered outside the lock: a token cancelled meanwhile runs the callback here, which takes it.
            var registration = cancellationToken.UnsafeRegister(static (state, token) => ((TopicSubscription<T>)state!).Cancel(token), this);
            lock (_lock)
            {
                if (_reading && _read.Version == version)
                {
                    _readCancellation = registration;
                    registration = default;
                }
            }
            registration.Unregister(); // the read already ended (a change came, or the token): nothing to cancel
        }
        return new ValueTask<TopicItem<T>>(this, version);
    }

    private void Cancel(CancellationToken token)
    {
        lock (_lock)
        {
            // A change or the end came first; or this is an earlier read's token, whose callback was already running
            // when that read ended and reached the lock only after the next read (with a token of its own) began.
            if (!_reading || _readToken != token)
            {
                return;
            }
            EndRead(); // its registration is the one firing
        }
        _read.SetException(new OperationCanceledException(token));
    }

    // Under the lock: no read waits any more; its token's registration is handed back to be let go outside the lock.
    private CancellationTokenRegistration EndRead()
    {
        var registration = _readCancellation;
        _reading = false;
        _readCancellation = default;
        _readToken = default;
        return registration;
    }

    /// <summary>The snapshot, then every change, until cancelled or unsubscribed.</summary>
    public async IAsyncEnumerable<TopicItem<T>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in Snapshot)
        {
            yield return item;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            TopicItem<T> item;
            try
            {
                item = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            yield return item;
        }
    }

    public void Dispose()
    {
        bool reading;
        CancellationTokenRegistration cancellation;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            reading = _reading;
            cancellation = EndRead();
            _pending.Clear();
            _order.Clear();
        }
        _unsubscribe(this);
        cancellation.Unregister();
        if (reading)
        {
            _read.SetException(new ObjectDisposedException(GetType().FullName, "the subscription ended while a read was waiting"));
        }
    }

    TopicItem<T> IValueTaskSource<TopicItem<T>>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TopicItem<T>>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<TopicItem<T>>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);
}
