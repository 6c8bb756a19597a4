namespace Switchboard.Actors.Storage;

/// <summary>
/// A journal entry as stored: its global position (append order across all streams), its stream,
/// its sequence within the stream, type, time and payload.
/// </summary>
public sealed record JournalRecord(long Position, string Stream, long Sequence, string Type, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload);
