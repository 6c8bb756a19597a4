namespace Switchboard.Actors.Streams;

/// <summary>The latest value of a key in a topic, or its removal.</summary>
public readonly record struct StreamItem<T>(string Key, T? Value, bool Removed);
