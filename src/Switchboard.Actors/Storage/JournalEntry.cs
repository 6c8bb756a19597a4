namespace Switchboard.Actors.Storage;

/// <summary>One entry to append: its type (such as <c>call.answered</c>), time and UTF-8 JSON payload.</summary>
public sealed record JournalEntry(string Type, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload);
