namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// What a simulation measured: center and per-queue figures over the measured window, agent occupancy,
/// batch-means 95 % half-widths of service level and ASA (sampling error), and Erlang C for a single queue.
/// </summary>
internal sealed record SimulationResult(
    string Router,
    SimulationOptions Options,
    CallFigures Center,
    IReadOnlyDictionary<string, CallFigures> Queues,
    double? Occupancy,
    double? ServiceLevelHalfWidth,
    double? AsaHalfWidthSeconds,
    ErlangCPrediction? ErlangC,
    long RouterOperations,
    TimeSpan WallTime);
