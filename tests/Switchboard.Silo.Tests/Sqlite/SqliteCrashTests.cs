using System.Diagnostics;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.Sqlite;

public sealed class SqliteCrashTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_writer_killed_mid_load_leaves_every_acknowledged_write_no_half_written_one_and_no_append_without_the_state_write_queued_before_it()
    {
        // A real crash: a child process writes through the store and prints each acknowledgement; it is killed
        // (SIGKILL) mid-load, then the file is opened again.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(SqliteCrashWriter).Assembly.Location);
        start.Environment[SqliteCrashWriter.FolderVariable] = _folder.Path;
        var acknowledged = new int[SqliteCrashWriter.Grains];
        var acknowledgements = 0;
        using (var child = Process.Start(start)!)
        {
            var errors = child.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (acknowledgements < 2_000)
            {
                var line = await child.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"The writer process ended early: {await errors}");
                acknowledgements += Record(line, acknowledged);
            }
            child.Kill();
            await child.WaitForExitAsync(deadline.Token);
            // Acknowledgements printed before the kill but not yet read still count.
            while (await child.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                acknowledgements += Record(line, acknowledged);
            }
        }

        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        for (var grain = 0; grain < SqliteCrashWriter.Grains; grain++)
        {
            var stored = new GrainState<CounterState>();
            await store.Storage.ReadStateAsync("profile", SqliteCrashWriter.GrainOf(grain), stored);
            var version = stored.State!.Count;
            Assert.True(version >= acknowledged[grain], $"grain {grain} acknowledged version {acknowledged[grain]} but holds {version}");
            Assert.True(version <= acknowledged[grain] + 1, $"grain {grain} holds version {version}, more than one past its acknowledged {acknowledged[grain]}");
            if (version > 0)
            {
                Assert.Equal(SqliteCrashWriter.NoteOf(version), stored.State.Note);
            }
            var records = await store.Journal.ReadAllAsync(new JournalQuery { Stream = SqliteCrashWriter.StreamOf(grain) });
            Assert.True(records.Count % 3 == 0, $"stream {SqliteCrashWriter.StreamOf(grain)} holds {records.Count} entries: an append was cut");
            Assert.InRange(records.Count / 3, version, version + 1);
        }
        var pair = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync(SqliteCrashWriter.PairState, SqliteCrashWriter.PairGrain, pair);
        var appended = await store.Journal.GetLastSequenceAsync(SqliteCrashWriter.PairStream);
        Assert.True(appended > 0);
        Assert.True(appended <= pair.State!.Count, $"{appended} appends of pairs survived the kill but only {pair.State.Count} of the state writes queued before them");
    }

    private static int Record(string line, int[] acknowledged)
    {
        // The kill may cut the last line short; a cut line only ever understates.
        if (line.Split(' ') is not ["ack", var grain, var version] || !int.TryParse(grain, out var g) || !int.TryParse(version, out var v))
        {
            return 0;
        }
        acknowledged[g] = Math.Max(acknowledged[g], v);
        return 1;
    }
}
