namespace Switchboard.LoadTests.Simulation;

/// <summary>What one simulation run is asked to do, as parsed from the command line. Defaults are written here.</summary>
internal sealed record SimulationOptions
{
    /// <summary>Poisson arrival rate of the single queue (ignored with a scenario file).</summary>
    public double CallsPerHour { get; init; }

    /// <summary>Mean talk time (exponential).</summary>
    public double AhtSeconds { get; init; }

    /// <summary>Agents serving the single queue.</summary>
    public int Agents { get; init; }

    /// <summary>Hours of arrivals, warm-up included.</summary>
    public double Hours { get; init; }

    public int Seed { get; init; }

    /// <summary>Mean caller patience (exponential); null: callers never hang up while waiting.</summary>
    public double? PatienceSeconds { get; init; }

    /// <summary>T of the service level. Default 20 s.</summary>
    public double ServiceLevelSeconds { get; init; } = 20;

    /// <summary>Mean wrap-up after each call (exponential); 0: none. Default 0.</summary>
    public double WrapUpSeconds { get; init; }

    /// <summary>Arrivals in the first minutes are simulated but not counted (the center starts empty). Default 0.</summary>
    public double WarmupMinutes { get; init; }

    public RouterKind Router { get; init; } = RouterKind.Grains;

    /// <summary>A scenario file (several queues, vendors, skills); null for the single queue.</summary>
    public string? ScenarioFile { get; init; }

    /// <summary>Where to write the figures as JSON; null: nowhere.</summary>
    public string? JsonFile { get; init; }

    public TimeSpan Duration => TimeSpan.FromHours(Hours);

    public TimeSpan Warmup => TimeSpan.FromMinutes(WarmupMinutes);
}
