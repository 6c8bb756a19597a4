using System.Runtime.CompilerServices;
using System.Text;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>
/// The child process of the SQLite crash test: the test assembly started as a program (<c>dotnet
/// Switchboard.Actors.Tests.dll</c>) with <see cref="DatabaseVariable"/> set writes state and journal
/// records in a loop, printing each acknowledgement, until the test kills it. Inside the test host the
/// variable is unset and this does nothing.
/// </summary>
internal static class SqliteCrashWriter
{
    public const string DatabaseVariable = "SWITCHBOARD_SQLITE_CRASH_WRITER_DB";
    public const int Grains = 40;

#pragma warning disable CA2255 // A module initializer is how a test assembly doubles as the crash test's child process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunWhenAsked()
    {
        var database = Environment.GetEnvironmentVariable(DatabaseVariable);
        if (string.IsNullOrEmpty(database))
        {
            return;
        }
        // Code of this assembly on other threads waits until the module initializer returns, so the writer
        // runs on a foreground thread of its own, which keeps the process alive after the empty Main.
        // A process entry point: there is no caller to return a task to.
        new Thread(() => Environment.Exit(RunAsync(database).GetAwaiter().GetResult())) { IsBackground = false }.Start();
    }

    public static string StateOf(int grain, int version) =>
        $$"""{"grain":{{grain}},"version":{{version}},"check":"{{new string((char)('a' + (version % 26)), 300)}}"}""";

    public static StateKey KeyOf(int grain) => new("profile", new GrainId("agent", $"crash{grain}"));

    public static string StreamOf(int grain) => $"crash/{grain}";

    public const string FirstOfPairs = "pairs/first";

    public const string SecondOfPairs = "pairs/second";

    private static async Task<int> RunAsync(string database)
    {
        var store = new SqliteGrainStore("crash", new SqliteStoreOptions { DataSource = database });
        await store.InitializeAsync(CancellationToken.None);
        var output = Console.Out;
        // Pairs queued back to back without waiting between them, as a call grain queues its records and then asks
        // its queue to act (ADR 004): the second of a pair may never be durable without the first.
        var pairs = Task.Run(async () =>
        {
            for (var i = 1; ; i++)
            {
                var entry = new[] { new JournalEntry("p", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes($$"""{"pair":{{i}}}""")) };
                var first = store.AppendJournalAsync(new JournalAppend(FirstOfPairs, i, entry, 0, 1), CancellationToken.None);
                var second = store.AppendJournalAsync(new JournalAppend(SecondOfPairs, i, entry, 1, 1), CancellationToken.None);
                await Task.WhenAll(first, second);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Grains).Select(grain => Task.Run(async () =>
        {
            string? etag = null;
            for (var version = 1; ; version++)
            {
                var entries = Enumerable.Range(1, 3)
                    .Select(part => new JournalEntry("v", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes($$"""{"version":{{version}},"part":{{part}}}""")))
                    .ToArray();
                await store.AppendJournalAsync(new JournalAppend(StreamOf(grain), ((version - 1) * 3) + 1, entries, grain, 1), CancellationToken.None);
                etag = await store.WriteStateAsync(new StateWrite(KeyOf(grain), Encoding.UTF8.GetBytes(StateOf(grain, version)), etag, grain, 1), CancellationToken.None);
                // Printed only once both are durable: what the test reads is what was acknowledged.
                await output.WriteLineAsync($"ack {grain} {version}");
            }
        })).Append(pairs));
        return 0;
    }
}
