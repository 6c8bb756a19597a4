using System.Collections.Concurrent;

namespace Switchboard.Actors.Streams;

/// <summary>The silo's topics, created on first use; a topic keeps one value type for its life.</summary>
internal sealed class InMemoryStreamProvider : IStreamProvider
{
    private readonly ConcurrentDictionary<string, object> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, object> _values = new();

    public IStreamTopic<T> GetTopic<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_topics.TryGetValue(name, out var topic))
        {
            topic = _topics.GetOrAdd(name, static (n, values) => new StreamTopic<T>(n, values), Values<T>());
        }

        return topic as IStreamTopic<T>
            ?? throw new InvalidOperationException(
                $"Topic '{name}' carries {topic.GetType().GetGenericArguments()[0].Name} values, not {typeof(T).Name}.");
    }

    private LatestValueSlots<T> Values<T>() => (LatestValueSlots<T>)_values.GetOrAdd(typeof(T), static _ => new LatestValueSlots<T>());
}
