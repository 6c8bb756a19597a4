namespace Switchboard.Actors.Storage;

/// <summary>A state row as read: the serialized state (UTF-8 JSON) and its ETag.</summary>
public sealed record StoredState(ReadOnlyMemory<byte> Data, string ETag);
