using Switchboard.Contracts.V1;
using Grpc.Net.Client;
using Grpc.Core;
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

    [Theory]
    [InlineData("missing.yaml", null, "cannot be read")]
    [InlineData("center.yaml", "queues: [{ id: billing, strategy: sideways }]", "strategy")]
    public async Task A_center_file_missing_or_wrong_is_named_in_one_line_and_the_silo_exits_with_code_2(string file, string? content, string names)
    {
        if (content is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, file), content);
        }
        await using var silo = SiloProcess.Start(_folder, "--store", "memory", "--grpc-port", FreePorts.Next().ToString(), "--http-port", FreePorts.Next().ToString(),
            "--center-file", file);

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        // A relative path is the working folder's, and the message names it and what is wrong, without a stack trace.
        Assert.Contains(file, silo.Output);
        Assert.Contains(names, silo.Output);
        Assert.DoesNotContain("   at ", silo.Output);
    }

    [Fact]
    public async Task An_adapter_that_hangs_up_its_stream_or_drops_its_connection_is_no_error_in_the_log()
    {
        const string key = "adapter-key-for-the-log-test-01";
        var grpcPort = FreePorts.Next();
        await using var silo = SiloProcess.Start(_folder, "--store", "memory", "--grpc-port", grpcPort.ToString(), "--http-port", FreePorts.Next().ToString(),
            "--Switchboard:Gateway:ApiKeys:0:Key", key, "--Switchboard:Gateway:ApiKeys:0:Role", "adapter", "--Switchboard:Gateway:ApiKeys:0:AdapterId", "fs-log");
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));
        var headers = new Metadata { { "authorization", $"Bearer {key}" } };

        // One stream cancelled by the adapter, then one whose connection goes away under it.
        foreach (var cancel in new[] { true, false })
        {
            var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            using var stop = new CancellationTokenSource();
            var connect = new TelephonyAdapter.TelephonyAdapterClient(channel).Connect(headers, cancellationToken: stop.Token);
            await connect.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = "fs-log" } });
            Assert.True(await connect.ResponseStream.MoveNext());
            if (cancel)
            {
                await stop.CancelAsync();
            }
            channel.Dispose();
            connect.Dispose();
        }
        // The silo notices both; an Orleans start-up warning is fine, an error is not.
        await Task.Delay(TimeSpan.FromSeconds(2));
        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.DoesNotContain("fail:", silo.Output);
        Assert.False(silo.Output.Contains("   at "), silo.Output);
    }
}
