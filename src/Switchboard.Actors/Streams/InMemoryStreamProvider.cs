using System.Collections.Concurrent;

namespace Switchboard.Actors.Streams;

/// <summary>The silo's topics, created on first use; a topic keeps one value type for its life.</summary>
internal sealed class InMemoryStreamProvider : IStreamProvider
{
    private readonly ConcurrentDictionary<string, object> _topics = new(StringComparer.Ordinal);

    public IStreamTopic<T> GetTopic<T>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var topic = _topics.GetOrAdd(name, static n => new StreamTopic<T>(n));
        return topic as IStreamTopic<T>
            ?? throw new InvalidOperationException(
                $"Topic '{name}' carries {topic.GetType().GetGenericArguments()[0].Name} values, not {typeof(T).Name}.");
    }
}
