using Switchboard.LoadTests.Simulation;

namespace Switchboard.Routing.Tests.Simulation;

public sealed class ScenarioFileTests
{
    private static readonly string Sample = Path.Combine(RepositoryRoot(), "load-tests", "Switchboard.LoadTests", "Scenarios", "scenario.yaml");

    [Theory]
    [InlineData("ideal")]
    [InlineData("grains")]
    public async Task The_sample_scenario_runs_three_queues_on_two_vendors(string router)
    {
        var options = new SimulationOptions { Router = Simulate.Router(router), Hours = 2, Seed = 3, ScenarioFile = Sample };
        var scenario = ScenarioFile.Load(Sample, options);

        var result = await SimulateCommand.RunAsync(scenario, options);

        Assert.Equal(["billing", "general", "technical"], result.Queues.Keys.Order(StringComparer.Ordinal));
        Assert.Null(result.ErlangC);
        foreach (var (queue, figures) in result.Queues)
        {
            Assert.True(figures.Offered > 0, $"{queue} was offered nothing");
            Assert.True(figures.Answered > 0, $"{queue} answered nothing");
            Assert.Equal(figures.Offered, figures.Answered + figures.Abandoned + figures.TimedOut);
        }

        Assert.Equal(result.Queues.Values.Sum(q => q.Offered), result.Center.Offered);
    }

    [Fact]
    public async Task A_scenario_naming_an_unknown_queue_is_refused_with_the_path_and_the_queues_there_are()
    {
        var folder = Directory.CreateTempSubdirectory("scenario-");
        try
        {
            File.Copy(Path.Combine(Path.GetDirectoryName(Sample)!, "two-vendors.center.yaml"), Path.Combine(folder.FullName, "center.yaml"));
            var file = Path.Combine(folder.FullName, "bad.yaml");
            await File.WriteAllTextAsync(file, "center: center.yaml\ntraffic:\n  - { queue: sales, callsPerHour: 10, ahtSeconds: 60 }\n");

            var (code, _, error) = await Simulate.CommandAsync("--scenario", file, "--hours", "1");

            Assert.Equal(2, code);
            Assert.Contains("--scenario", error, StringComparison.Ordinal);
            Assert.Contains("traffic[0].queue: 'sales' is not a queue of center.yaml (queues: billing, general, technical)", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
