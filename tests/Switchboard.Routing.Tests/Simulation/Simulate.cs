using Switchboard.LoadTests.Simulation;

namespace Switchboard.Routing.Tests.Simulation;

/// <summary>Runs the traffic simulator in the test process.</summary>
internal static class Simulate
{
    public static SimulationOptions Options(
        RouterKind router,
        double callsPerHour,
        double ahtSeconds,
        int agents,
        double hours,
        int seed = 1,
        double? patienceSeconds = null,
        double warmupMinutes = 60) => new()
        {
            Router = router,
            CallsPerHour = callsPerHour,
            AhtSeconds = ahtSeconds,
            Agents = agents,
            Hours = hours,
            Seed = seed,
            PatienceSeconds = patienceSeconds,
            WarmupMinutes = warmupMinutes,
        };

    /// <summary>"grains" or "ideal" (theory data cannot name an internal enum).</summary>
    public static RouterKind Router(string name) => Enum.Parse<RouterKind>(name, ignoreCase: true);

    public static Task<SimulationResult> RunAsync(SimulationOptions options) =>
        SimulateCommand.RunAsync(SimulationScenario.SingleQueue(options), options);

    /// <summary>Runs the simulate command as the CLI does; returns the exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> CommandAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SimulateCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
