namespace Switchboard.LoadTests.Simulation;

/// <summary>Which router a simulation drives.</summary>
internal enum RouterKind
{
    /// <summary>The real routing grains in an in-process silo on a virtual clock.</summary>
    Grains,

    /// <summary>The ideal single-threaded <see cref="Switchboard.Routing.InMemory.InMemoryRouter"/>: no actors, no I/O.</summary>
    Ideal,
}
