namespace Switchboard.LoadTests.Simulation;

/// <summary>--help was given: print the usage and stop.</summary>
internal sealed class SimulationHelpRequested() : Exception("help requested");
