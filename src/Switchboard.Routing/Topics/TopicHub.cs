using System.Collections.Concurrent;

namespace Switchboard.Routing.Topics;

/// <summary>The silo's topics, created on first use; a topic keeps one value type for its life.</summary>
internal sealed class TopicHub : ITopicHub
{
    private readonly ConcurrentDictionary<string, object> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, object> _values = new();

    public ITopic<T> GetTopic<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_topics.TryGetValue(name, out var topic))
        {
            topic = _topics.GetOrAdd(name, static (n, values) => new Topic<T>(n, values), Values<T>());
        }

        return topic as ITopic<T>
            ?? throw new InvalidOperationException(
                $"Topic '{name}' carries {topic.GetType().GetGenericArguments()[0].Name} values, not {typeof(T).Name}.");
    }

    private LatestValueSlots<T> Values<T>() => (LatestValueSlots<T>)_values.GetOrAdd(typeof(T), static _ => new LatestValueSlots<T>());
}
