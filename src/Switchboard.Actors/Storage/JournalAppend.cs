namespace Switchboard.Actors.Storage;

/// <summary>
/// Records appended to one journal stream (usually a grain id such as <c>call/42</c>), numbered from
/// <see cref="FirstSequence"/> on, by a writer holding <see cref="Partition"/> at <see cref="Epoch"/>.
/// </summary>
public sealed record JournalAppend(string Stream, long FirstSequence, IReadOnlyList<JournalEntry> Entries, int Partition, long Epoch);
