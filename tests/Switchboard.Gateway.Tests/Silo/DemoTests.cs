using Switchboard.Testing;
using System.Text.RegularExpressions;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Silo;

public sealed partial class DemoTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_demo_places_and_answers_calls_over_the_grpc_api_inside_the_silo()
    {
        await using var silo = SiloProcess.Start(_folder,
            "--demo", "--store", "memory",
            "--grpc-port", FreePorts.Next().ToString(), "--http-port", FreePorts.Next().ToString(),
            "--Switchboard:Demo:Agents", "6",
            "--Switchboard:Demo:CallsPerMinute", "600",
            "--Switchboard:Demo:MeanTalkTime", "00:00:00.200",
            "--Switchboard:Demo:WrapUpTime", "00:00:00.100",
            "--Switchboard:Demo:ReportInterval", "00:00:00.500");

        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Progress().Any(p => p.Completed > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The demo completed no call.\n{silo.Output}");
            await Task.Delay(50);
        }

        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        IEnumerable<(long Offered, long Answered, long Completed)> Progress() =>
            ProgressLine().Matches(silo.Output).Select(m => (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value)));
    }

    [GeneratedRegex(@"Demo: (\d+) calls offered, (\d+) answered, (\d+) completed")]
    private static partial Regex ProgressLine();
}
