namespace Switchboard.Actors.Streams;

/// <summary>
/// A topic held in memory: the latest value per key and the current subscribers. The values live in slots shared
/// by all topics of the type (<see cref="LatestValueSlots{T}"/>); the topic maps each key to its slot.
/// </summary>
internal sealed class StreamTopic<T>(string name, LatestValueSlots<T> values) : IStreamTopic<T>
{
    private readonly object _lock = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private StreamSubscription<T>[] _subscribers = [];

    public string Name { get; } = name;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public void Publish(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                slot = values.Rent();
                _slots.Add(key, slot);
            }

            values[slot] = value;
            Send(new StreamItem<T>(key, value, Removed: false));
        }
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (!_slots.Remove(key, out var slot))
            {
                return;
            }

            values.Return(slot);
            Send(new StreamItem<T>(key, default, Removed: true));
        }
    }

    public StreamSubscription<T> Subscribe()
    {
        lock (_lock)
        {
            var snapshot = new List<StreamItem<T>>(_slots.Count);
            foreach (var (key, slot) in _slots)
            {
                snapshot.Add(new StreamItem<T>(key, values[slot], Removed: false));
            }
            return Add(new StreamSubscription<T>(snapshot, Unsubscribe));
        }
    }

    public StreamSubscription<T> Subscribe(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            StreamItem<T>[] snapshot = _slots.TryGetValue(key, out var slot) ? [new StreamItem<T>(key, values[slot], Removed: false)] : [];
            return Add(new StreamSubscription<T>(snapshot, Unsubscribe, key));
        }
    }

    // Under the topic's lock: every subscriber to the whole topic, or to this item's key, is offered it.
    private void Send(StreamItem<T> item)
    {
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Key is null || subscriber.Key == item.Key)
            {
                subscriber.Offer(item);
            }
        }
    }

    private StreamSubscription<T> Add(StreamSubscription<T> subscription)
    {
        _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    private void Unsubscribe(StreamSubscription<T> subscription)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }
    }
}
