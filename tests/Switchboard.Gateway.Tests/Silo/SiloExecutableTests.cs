using Switchboard.Testing;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Silo;

public sealed class SiloExecutableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-silo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_silo_starts_with_an_embedded_store_in_a_local_data_folder_and_stops_cleanly_on_ctrl_c()
    {
        await using var silo = SiloProcess.Start(_folder, "--grpc-port", FreePorts.Next().ToString(), "--http-port", FreePorts.Next().ToString());
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));
        // The working directory holds the store's files: a watch on it (configuration reloaded on change) would wake
        // a thread for every commit, and from a repository root would watch every folder beneath it.
        Directory.CreateDirectory(Path.Combine(_folder, "nested", "deeper"));
        Assert.Equal(0, InotifyWatches(silo.Id));

        silo.Interrupt();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        var database = Path.Combine(_folder, "data", "switchboard.db");
        Assert.True(File.Exists(database), silo.Output);
        Assert.Contains(database, silo.Output);
        Assert.Contains("Silo stopped", silo.Output);
    }

    /// <summary>The inotify watches <paramref name="pid"/> holds (one "inotify wd:" line per watch in fdinfo).</summary>
    private static int InotifyWatches(int pid) =>
        Directory.GetFiles($"/proc/{pid}/fdinfo").Sum(info =>
        {
            try
            {
                return File.ReadLines(info).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return 0; // a descriptor closed meanwhile
            }
        });

    [Fact]
    public async Task A_store_that_cannot_be_reached_at_start_up_is_named_and_the_silo_exits_non_zero()
    {
        var closedPort = FreePorts.Next();
        await using var silo = SiloProcess.Start(_folder, "--postgres", $"Host=127.0.0.1;Port={closedPort};Database=calls;Username=sb;Password=hunter2;Timeout=3");

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"127.0.0.1:{closedPort}/calls", silo.Output);
        Assert.Contains("could not start", silo.Output);
        Assert.DoesNotContain("hunter2", silo.Output);
    }

    [Fact]
    public async Task An_unknown_store_provider_is_refused_with_the_setting_that_is_wrong()
    {
        await using var silo = SiloProcess.Start(_folder, "--store", "mongo");

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Switchboard:Store:Provider is 'mongo'", silo.Output);
    }
}
