namespace Switchboard.Routing.Topics;

/// <summary>The latest value of a key in a topic, or its removal.</summary>
public readonly record struct TopicItem<T>(string Key, T? Value, bool Removed);
