using System.Runtime.CompilerServices;

namespace Switchboard.Actors.Streams;

/// <summary>
/// One subscriber's view of a topic: the snapshot taken when it subscribed, then the changes. Changes the
/// reader has not taken yet are coalesced per key (latest wins), so a slow reader holds at most one
/// pending value per key, never an unbounded backlog.
/// </summary>
public sealed class StreamSubscription<T> : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, StreamItem<T>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Action<StreamSubscription<T>> _unsubscribe;
    private TaskCompletionSource? _waiter;
    private bool _disposed;
    private long _coalesced;

    internal StreamSubscription(IReadOnlyList<StreamItem<T>> snapshot, Action<StreamSubscription<T>> unsubscribe)
    {
        Snapshot = snapshot;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The latest value of every key when the subscription began.</summary>
    public IReadOnlyList<StreamItem<T>> Snapshot { get; }

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

    internal void Offer(StreamItem<T> item)
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (_pending.ContainsKey(item.Key))
            {
                _coalesced++;
            }
            else
            {
                _order.Enqueue(item.Key);
            }
            _pending[item.Key] = item;
            waiter = _waiter;
            _waiter = null;
        }
        waiter?.TrySetResult();
    }

    /// <summary>Waits for the next change. Throws <see cref="ObjectDisposedException"/> once unsubscribed.</summary>
    public async ValueTask<StreamItem<T>> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_order.Count > 0)
                {
                    var key = _order.Dequeue();
                    _pending.Remove(key, out var item);
                    return item;
                }
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The snapshot, then every change, until cancelled or unsubscribed.</summary>
    public async IAsyncEnumerable<StreamItem<T>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in Snapshot)
        {
            yield return item;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            StreamItem<T> item;
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
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            waiter = _waiter;
            _waiter = null;
            _pending.Clear();
            _order.Clear();
        }
        _unsubscribe(this);
        waiter?.TrySetResult();
    }
}
