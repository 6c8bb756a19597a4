namespace Switchboard.Silo.Demo;

/// <summary>The simulated traffic of <c>--demo</c>, bound from <c>Switchboard:Demo</c>.</summary>
public sealed class DemoOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Demo";

    /// <summary>Run the demo (<c>--demo</c>). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Simulated agents. Default 36.</summary>
    public int Agents { get; set; } = 36;

    /// <summary>Calls offered per minute (Poisson arrivals). Default 90.</summary>
    public double CallsPerMinute { get; set; } = 90;

    /// <summary>Mean talk time (exponential). Default 20 s.</summary>
    public TimeSpan MeanTalkTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Wrap-up time before the agent finishes. Default 3 s.</summary>
    public TimeSpan WrapUpTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the demo logs its progress. Default 10 s.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed of the simulation's random numbers. Default 42.</summary>
    public int Seed { get; set; } = 42;
}
