namespace Switchboard.Routing.Topics;

/// <summary>
/// A topic held in memory: the latest value per key and the current subscribers. The values live in slots shared
/// by all topics of the type (<see cref="LatestValueSlots{T}"/>); the topic maps each key to its slot.
/// </summary>
internal sealed class Topic<T>(string name, LatestValueSlots<T> values) : ITopic<T>
{
    private readonly object _lock = new();
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private TopicSubscription<T>[] _subscribers = [];

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
            Send(new TopicItem<T>(key, value, Removed: false));
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
            Send(new TopicItem<T>(key, default, Removed: true));
        }
    }

    public TopicSubscription<T> Subscribe()
    {
        lock (_lock)
        {
            var snapshot = new List<TopicItem<T>>(_slots.Count);
            foreach (var (key, slot) in _slots)
            {
                snapshot.Add(new TopicItem<T>(key, values[slot], Removed: false));
            }
            return Add(new TopicSubscription<T>(snapshot, Unsubscribe));
        }
    }

    public TopicSubscription<T> Subscribe(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            TopicItem<T>[] snapshot = _slots.TryGetValue(key, out var slot) ? [new TopicItem<T>(key, values[slot], Removed: false)] : [];
            return Add(new TopicSubscription<T>(snapshot, Unsubscribe, key));
        }
    }

    // Under the topic's lock: every subscriber to the whole topic, or to this item's key, is offered it.
    private void Send(TopicItem<T> item)
    {
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Key is null || subscriber.Key == item.Key)
            {
                subscriber.Offer(item);
            }
        }
    }

    private TopicSubscription<T> Add(TopicSubscription<T> subscription)
    {
        _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    private void Unsubscribe(TopicSubscription<T> subscription)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }
    }
}
