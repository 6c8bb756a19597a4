using System.Runtime.CompilerServices;
using System.Text;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.Sqlite;

/// <summary>
/// The child process of the SQLite crash test: the test assembly started as a program (<c>dotnet
/// Switchboard.Silo.Tests.dll</c>) with <see cref="FolderVariable"/> set writes grain state and journal records through
/// the store in a loop, printing each acknowledgement, until the test kills it. Inside the test host the variable is
/// unset and this does nothing.
/// </summary>
internal static class SqliteCrashWriter
{
    public const string FolderVariable = "SWITCHBOARD_SQLITE_CRASH_WRITER_DIR";
    public const int Grains = 40;
    public const string PairState = "pair";
    public const string PairStream = "pairs/second";

    public static GrainId GrainOf(int grain) => GrainId.Create("agent", $"crash{grain}");

    public static string StreamOf(int grain) => $"crash/{grain}";

    public static string NoteOf(int version) => new((char)('a' + (version % 26)), 300);

    public static readonly GrainId PairGrain = GrainId.Create("call", "pairs");

#pragma warning disable CA2255 // A module initializer is how a test assembly doubles as the crash test's child process.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunWhenAsked()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }
        // Code of this assembly on other threads waits until the module initializer returns, so the writer runs on a
        // foreground thread of its own, which keeps the process alive after the empty Main.
        new Thread(() => Environment.Exit(RunAsync(folder).GetAwaiter().GetResult())) { IsBackground = false }.Start();
    }

    private static async Task<int> RunAsync(string folder)
    {
        var store = await SqliteStoreHarness.OpenAsync(folder);
        var output = Console.Out;
        // A state write and an append queued back to back without waiting between them, as a grain writes its state and
        // then has the next record appended: the append may never be durable without the state write before it.
        var pairs = Task.Run(async () =>
        {
            string? etag = null;
            for (var i = 1; ; i++)
            {
                var state = new GrainState<CounterState>(new CounterState { Count = i }, etag);
                var first = store.Storage.WriteStateAsync(PairState, PairGrain, state);
                var second = store.Journal.AppendAsync(new JournalAppend(PairStream, i, [new JournalEntry("p", DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes($"{i}"))]));
                await Task.WhenAll(first, second);
                etag = state.ETag;
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
                await store.Journal.AppendAsync(new JournalAppend(StreamOf(grain), ((version - 1) * 3) + 1, entries));
                var state = new GrainState<CounterState>(new CounterState { Count = version, Note = NoteOf(version) }, etag);
                await store.Storage.WriteStateAsync("profile", GrainOf(grain), state);
                etag = state.ETag;
                // Printed only once both are durable: what the test reads is what was acknowledged.
                await output.WriteLineAsync($"ack {grain} {version}");
            }
        })).Append(pairs));
        return 0;
    }
}
