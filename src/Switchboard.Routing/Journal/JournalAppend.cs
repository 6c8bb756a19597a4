namespace Switchboard.Routing.Journal;

/// <summary>Records appended to one journal stream, numbered from <see cref="FirstSequence"/> on.</summary>
public sealed record JournalAppend(string Stream, long FirstSequence, IReadOnlyList<JournalEntry> Entries);
