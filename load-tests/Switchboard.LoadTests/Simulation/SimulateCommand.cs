namespace Switchboard.LoadTests.Simulation;

/// <summary>The <c>simulate</c> command: parse, build the scenario, run it on the chosen router, report.</summary>
internal static class SimulateCommand
{
    /// <summary>Exit code of a refused command line.</summary>
    public const int BadArguments = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        SimulationOptions options;
        SimulationScenario scenario;
        try
        {
            options = SimulationArguments.Parse(args);
            scenario = options.ScenarioFile is { } file ? ScenarioFile.Load(file, options) : SimulationScenario.SingleQueue(options);
        }
        catch (SimulationHelpRequested)
        {
            await output.WriteLineAsync(SimulationArguments.Usage).ConfigureAwait(false);
            return 0;
        }
        catch (SimulationArgumentException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return BadArguments;
        }

        var result = await RunAsync(scenario, options, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(SimulationReport.ToText(result)).ConfigureAwait(false);
        if (options.JsonFile is { } json)
        {
            try
            {
                await using var stream = File.Create(json);
                SimulationReport.WriteJson(result, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: --json: cannot write '{json}': {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        return 0;
    }

    /// <summary>Runs <paramref name="scenario"/> on the router <paramref name="options"/> names.</summary>
    public static async Task<SimulationResult> RunAsync(SimulationScenario scenario, SimulationOptions options, CancellationToken cancellationToken = default)
    {
        await using var driver = CreateDriver(options);
        return await TrafficSimulator.RunAsync(scenario, options, driver, cancellationToken).ConfigureAwait(false);
    }

    private static IRoutingDriver CreateDriver(SimulationOptions options) => options.Router switch
    {
        RouterKind.Ideal => new InMemoryRoutingDriver(options.Seed),
        _ => new GrainRoutingDriver(),
    };
}
