using System.Text;
using Switchboard.Routing.Journal;

namespace Switchboard.Silo.Tests.Infrastructure;

internal static class JournalSamples
{
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static JournalEntry Entry(string type, int minute = 0, string payload = "{}") =>
        new(type, Start.AddMinutes(minute).AddTicks(7), Encoding.UTF8.GetBytes(payload));

    public static JournalAppend Append(string stream, long first, params JournalEntry[] entries) => new(stream, first, entries);

    public static async Task<List<JournalRecord>> ReadAllAsync(this IEventJournal journal, JournalQuery query)
    {
        var records = new List<JournalRecord>();
        await foreach (var record in journal.ReadAsync(query))
        {
            records.Add(record);
        }
        return records;
    }
}
