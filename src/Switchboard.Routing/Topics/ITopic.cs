namespace Switchboard.Routing.Topics;

/// <summary>
/// A topic of keyed values (for example one value per agent or per figure). The topic keeps the latest
/// value of every key: that is the snapshot a new subscriber receives first, before the changes.
/// </summary>
public interface ITopic<T>
{
    string Name { get; }

    /// <summary>Sets the latest value of <paramref name="key"/> and sends it to every subscriber.</summary>
    void Publish(string key, T value);

    /// <summary>Removes <paramref name="key"/> from the snapshot and tells every subscriber.</summary>
    void Remove(string key);

    /// <summary>Subscribes: the snapshot is taken and the subscription registered atomically, so no change is missed.</summary>
    TopicSubscription<T> Subscribe();

    /// <summary>
    /// Subscribes to one key: its value in the snapshot (when it has one), then its changes and its removal; other
    /// keys' changes never reach, nor wake, this subscriber.
    /// </summary>
    TopicSubscription<T> Subscribe(string key);

    /// <summary>The number of current subscribers.</summary>
    int SubscriberCount { get; }
}
