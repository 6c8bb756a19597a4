using System.Globalization;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// Parses the <c>simulate</c> command line. Every refusal names the option, the value given and what is
/// allowed, so a load tester can fix the command without reading the code.
/// </summary>
internal static class SimulationArguments
{
    public const string Usage = """
        usage: Switchboard.LoadTests simulate --calls-per-hour N --aht-seconds S --agents C --hours H [options]

        Runs the routing on a virtual clock: Poisson arrivals, exponential handle times, simulated agents.

          --calls-per-hour N     arrival rate of the queue (calls per hour, > 0)
          --aht-seconds S        mean talk time in seconds (> 0), exponential
          --agents C             agents logged in and ready (whole number >= 1)
          --hours H              hours of arrivals (> 0, <= 8760), warm-up included
          --seed K               seed of the one random generator (whole number; default 1)
          --patience-seconds P   mean caller patience (> 0), exponential; callers abandon when it runs out
                                 (default: callers wait forever, as Erlang C assumes)
          --wrap-up-seconds W    mean wrap-up after each call (>= 0), exponential (default 0)
          --sl-seconds T         T of the service level in seconds (> 0; default 20)
          --warmup-minutes M     arrivals in the first M minutes are simulated but not counted (>= 0; default 0)
          --router R             grains (the routing grains in an in-process silo; default) or ideal
                                 (the in-memory router: no actors, no I/O)
          --scenario FILE        several queues, vendors and skills: a scenario file (YAML or JSON) naming a
                                 center configuration and the traffic of each queue; replaces
                                 --calls-per-hour, --aht-seconds and --agents
          --json FILE            also write the figures as JSON to FILE
          --help                 this text
        """;

    private static readonly string[] Known =
    [
        "--calls-per-hour", "--aht-seconds", "--agents", "--hours", "--seed", "--patience-seconds", "--wrap-up-seconds",
        "--sl-seconds", "--warmup-minutes", "--router", "--scenario", "--json", "--help",
    ];

    /// <summary>Parses <paramref name="args"/> (the words after <c>simulate</c>).</summary>
    /// <exception cref="SimulationArgumentException">An option is unknown, missing, repeated or out of range.</exception>
    public static SimulationOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            string name;
            string? value = null;
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (word.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = word[..eq];
                value = word[(eq + 1)..];
            }
            else
            {
                name = word;
            }

            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SimulationArgumentException(null, $"unexpected argument '{word}': options start with -- (see --help)");
            }

            if (Array.IndexOf(Known, name) < 0)
            {
                throw new SimulationArgumentException(name, $"unknown option '{name}'; known options: {string.Join(", ", Known)}");
            }

            if (name == "--help")
            {
                throw new SimulationHelpRequested();
            }

            if (value is null)
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && !IsNumber(args[i + 1])))
                {
                    throw new SimulationArgumentException(name, $"{name} needs a value");
                }

                value = args[++i];
            }

            if (!values.TryAdd(name, value))
            {
                throw new SimulationArgumentException(name, $"{name} is given twice ('{values[name]}' and '{value}')");
            }
        }

        var scenario = values.GetValueOrDefault("--scenario");
        if (scenario is not null)
        {
            foreach (var replaced in new[] { "--calls-per-hour", "--aht-seconds", "--agents" })
            {
                if (values.ContainsKey(replaced))
                {
                    throw new SimulationArgumentException(replaced, $"{replaced} cannot be combined with --scenario: the scenario file gives the traffic and the agents");
                }
            }

            if (!File.Exists(scenario))
            {
                throw new SimulationArgumentException("--scenario", $"--scenario: file '{scenario}' does not exist");
            }
        }

        var hours = Number(values, "--hours", required: true, min: 0, minInclusive: false, max: 8760)!.Value;
        var options = new SimulationOptions
        {
            CallsPerHour = scenario is null ? Number(values, "--calls-per-hour", required: true, min: 0, minInclusive: false, max: 10_000_000)!.Value : 0,
            AhtSeconds = scenario is null ? Number(values, "--aht-seconds", required: true, min: 0, minInclusive: false, max: 86_400)!.Value : 0,
            Agents = scenario is null ? Whole(values, "--agents", required: true, min: 1, max: 1_000_000)!.Value : 0,
            Hours = hours,
            Seed = Whole(values, "--seed", required: false, min: int.MinValue, max: int.MaxValue) ?? 1,
            PatienceSeconds = Number(values, "--patience-seconds", required: false, min: 0, minInclusive: false, max: 86_400),
            WrapUpSeconds = Number(values, "--wrap-up-seconds", required: false, min: 0, minInclusive: true, max: 86_400) ?? 0,
            ServiceLevelSeconds = Number(values, "--sl-seconds", required: false, min: 0, minInclusive: false, max: 86_400) ?? 20,
            WarmupMinutes = Number(values, "--warmup-minutes", required: false, min: 0, minInclusive: true, max: hours * 60) ?? 0,
            Router = values.GetValueOrDefault("--router") switch
            {
                null or "grains" => RouterKind.Grains,
                "ideal" => RouterKind.Ideal,
                var other => throw new SimulationArgumentException("--router", $"--router: '{other}' is not a router; use grains or ideal"),
            },
            ScenarioFile = scenario,
            JsonFile = values.GetValueOrDefault("--json"),
        };

        if (options.JsonFile is { } json && Path.GetDirectoryName(Path.GetFullPath(json)) is { } folder && !Directory.Exists(folder))
        {
            throw new SimulationArgumentException("--json", $"--json: folder '{folder}' does not exist");
        }

        if (options.WarmupMinutes >= hours * 60)
        {
            throw new SimulationArgumentException("--warmup-minutes",
                $"--warmup-minutes: {Format(options.WarmupMinutes)} leaves nothing to measure in --hours {Format(hours)}; use less than {Format(hours * 60)}");
        }

        return options;
    }

    private static double? Number(Dictionary<string, string> values, string name, bool required, double min, bool minInclusive, double max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return required ? throw new SimulationArgumentException(name, $"{name} is required (see --help)") : null;
        }

        var allowed = $"a number {(minInclusive ? ">=" : ">")} {Format(min)} and <= {Format(max)}";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new SimulationArgumentException(name, $"{name}: '{text}' is not a number; expected {allowed}");
        }

        if (value < min || (!minInclusive && value == min) || value > max)
        {
            throw new SimulationArgumentException(name, $"{name}: {text} is out of range; expected {allowed}");
        }

        return value;
    }

    private static int? Whole(Dictionary<string, string> values, string name, bool required, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return required ? throw new SimulationArgumentException(name, $"{name} is required (see --help)") : null;
        }

        var allowed = min == int.MinValue ? "a whole number" : $"a whole number >= {min} and <= {max}";
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new SimulationArgumentException(name, $"{name}: '{text}' is not a whole number; expected {allowed}");
        }

        if (value < min || value > max)
        {
            throw new SimulationArgumentException(name, $"{name}: {text} is out of range; expected {allowed}");
        }

        return value;
    }

    private static bool IsNumber(string word) => double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
