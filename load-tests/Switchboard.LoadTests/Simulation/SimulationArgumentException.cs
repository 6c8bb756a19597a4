namespace Switchboard.LoadTests.Simulation;

/// <summary>A command-line option the simulator refuses; <see cref="Option"/> names it (null when no option is at fault).</summary>
internal sealed class SimulationArgumentException(string? option, string message) : Exception(message)
{
    public string? Option { get; } = option;
}
