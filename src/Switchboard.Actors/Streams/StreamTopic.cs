namespace Switchboard.Actors.Streams;

/// <summary>A topic held in memory: the latest value per key and the current subscribers.</summary>
internal sealed class StreamTopic<T>(string name) : IStreamTopic<T>
{
    private readonly object _lock = new();
    private readonly Dictionary<string, T> _latest = new(StringComparer.Ordinal);
    private StreamSubscription<T>[] _subscribers = [];

    public string Name { get; } = name;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public void Publish(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            _latest[key] = value;
            var item = new StreamItem<T>(key, value, Removed: false);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(item);
            }
        }
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (!_latest.Remove(key))
            {
                return;
            }
            var item = new StreamItem<T>(key, default, Removed: true);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(item);
            }
        }
    }

    public StreamSubscription<T> Subscribe()
    {
        lock (_lock)
        {
            var snapshot = new List<StreamItem<T>>(_latest.Count);
            foreach (var (key, value) in _latest)
            {
                snapshot.Add(new StreamItem<T>(key, value, Removed: false));
            }
            var subscription = new StreamSubscription<T>(snapshot, Unsubscribe);
            _subscribers = [.. _subscribers, subscription];
            return subscription;
        }
    }

    private void Unsubscribe(StreamSubscription<T> subscription)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
        }
    }
}
