using System.Globalization;
using Switchboard.LoadTests.Simulation;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>The <c>routing-bench</c> command line. Defaults are the DESIGN.md budget's set-up.</summary>
internal sealed record RoutingBenchmarkOptions
{
    public const string Usage = """
        usage: Switchboard.LoadTests routing-bench [options]

        Routing throughput and offer-to-reservation latency in-process (no gRPC), real clock, open-loop arrivals,
        beside the ideal in-memory router measured in the same run, and on SQLite beside the disk's floor before and
        after the steps (two raw one-row INSERT+COMMITs in a row per tick at 500/s, for up to 10 s). A step "kept up" when every offer returned within
        1 s of its end, with no errors and at most 1 % of calls queued; "sustained" when it also kept p99 < 100 ms.
        Stepping stops after two steps in a row that did not keep up.

          --rates R1,R2,...      offered calls per second, one step each (default 500,1000,1500,2000,2500,3000)
          --seconds S            length of each step (default 10)
          --warmup-seconds S     an unreported first step at half the first rate (default 5)
          --agents N             agents (default 5000)
          --queues N             queues (default 50)
          --queues-per-agent N   queues each agent serves (default 3)
          --talk-seconds T       how long each answered call lasts (default 1)
          --store S              sqlite (a file in a folder of its own; default) or memory
          --data-dir DIR         an existing folder to make that folder in, and the floor's (default: the temp
                                 folder, $TMPDIR or /tmp); the header names its file system: on tmpfs no commit
                                 is flushed, so the figures show the router without the disk's tail
          --ideal-calls N        calls through the ideal router (default 200000)
          --json FILE            also write the results as JSON
          --gc-log MODE          collections: a line per garbage collection (pause, promoted bytes by root kind);
                                 alloc: sampled allocations by type at the end
          --slow-ms MS           after each step, every call slower than MS by its due time (ms into the step),
                                 '*' where a garbage collection ran while it was in flight: stalls show as runs
                                 of calls whose latency falls as their due time rises
        """;

    public IReadOnlyList<int> Rates { get; init; } = [500, 1000, 1500, 2000, 2500, 3000];

    public double Seconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 5;

    public int Agents { get; init; } = 5000;

    public int Queues { get; init; } = 50;

    public int QueuesPerAgent { get; init; } = 3;

    public double TalkSeconds { get; init; } = 1;

    public string Store { get; init; } = "sqlite";

    public string? DataDir { get; init; }

    public int IdealCalls { get; init; } = 200_000;

    public string? JsonFile { get; init; }

    public string? GcLog { get; init; }

    public double? SlowMs { get; init; }

    public static RoutingBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var o = new RoutingBenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--help")
            {
                throw new SimulationHelpRequested();
            }

            if (i + 1 >= args.Count)
            {
                throw new SimulationArgumentException(name, $"{name} needs a value");
            }

            var value = args[++i];
            o = name switch
            {
                "--rates" => o with { Rates = [.. value.Split(',').Select(r => Whole(name, r, 1, 1_000_000))] },
                "--seconds" => o with { Seconds = Number(name, value, 1, 3600) },
                "--warmup-seconds" => o with { WarmupSeconds = Number(name, value, 1, 3600) },
                "--agents" => o with { Agents = Whole(name, value, 1, 1_000_000) },
                "--queues" => o with { Queues = Whole(name, value, 1, 10_000) },
                "--queues-per-agent" => o with { QueuesPerAgent = Whole(name, value, 1, 100) },
                "--talk-seconds" => o with { TalkSeconds = Number(name, value, 0, 3600) },
                "--store" => o with
                {
                    Store = value is "sqlite" or "memory" ? value : throw new SimulationArgumentException(name, $"{name}: '{value}' is not a store; use sqlite or memory"),
                },
                "--data-dir" => o with
                {
                    DataDir = Directory.Exists(value) ? value : throw new SimulationArgumentException(name, $"{name}: '{value}' is not an existing folder"),
                },
                "--ideal-calls" => o with { IdealCalls = Whole(name, value, 1, 100_000_000) },
                "--json" => o with { JsonFile = value },
                "--gc-log" => o with
                {
                    GcLog = value is "collections" or "alloc" ? value : throw new SimulationArgumentException(name, $"{name}: '{value}' is not a mode; use collections or alloc"),
                },
                "--slow-ms" => o with { SlowMs = Number(name, value, 0, 60_000) },
                _ => throw new SimulationArgumentException(name, $"unknown option '{name}' (see --help)"),
            };
        }

        if (o.QueuesPerAgent > o.Queues)
        {
            throw new SimulationArgumentException("--queues-per-agent", $"--queues-per-agent: {o.QueuesPerAgent} is more than --queues {o.Queues}");
        }

        return o;
    }

    private static int Whole(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new SimulationArgumentException(name, $"{name}: '{text}' is not allowed; expected a whole number >= {min} and <= {max}");

    private static double Number(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new SimulationArgumentException(name, $"{name}: '{text}' is not allowed; expected a number >= {min} and <= {max}");
}
