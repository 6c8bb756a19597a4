using System.Collections.Immutable;
using System.Globalization;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// A scenario file (YAML, or JSON which YAML reads too): a center configuration file (the format of
/// docs/center.sample.yaml, its path relative to the scenario) and the traffic of each queue. The agents are the
/// center's: all log in at the start. --patience-seconds and --wrap-up-seconds are defaults for streams that do
/// not set their own.
/// <code>
/// center: center.sample.yaml
/// traffic:
///   - { queue: billing, callsPerHour: 300, ahtSeconds: 240, patienceSeconds: 90, skills: { billing: 3 }, language: en }
/// </code>
/// </summary>
internal static class ScenarioFile
{
    public static SimulationScenario Load(string path, SimulationOptions options)
    {
        ScenarioEntry? entry;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            entry = deserializer.Deserialize<ScenarioEntry>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            throw Refuse(path, $"line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        catch (IOException e)
        {
            throw Refuse(path, $"cannot be read: {e.Message}");
        }

        if (entry?.Center is not { Length: > 0 } centerPath)
        {
            throw Refuse(path, "center: is required (the path of a center configuration file, relative to the scenario)");
        }

        var fullCenter = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", centerPath);
        CenterConfiguration center;
        try
        {
            center = CenterConfigurationLoader.Load(fullCenter);
        }
        catch (CenterConfigurationException e)
        {
            throw Refuse(path, $"center: {e.Message}");
        }

        if (entry.Traffic is not { Count: > 0 })
        {
            throw Refuse(path, "traffic: is required (a list of { queue, callsPerHour, ahtSeconds })");
        }

        var traffic = ImmutableArray.CreateBuilder<TrafficStream>();
        for (var i = 0; i < entry.Traffic.Count; i++)
        {
            var at = $"traffic[{i}]";
            var t = entry.Traffic[i] ?? throw Refuse(path, $"{at}: is empty");
            if (t.Queue is null || !center.QueuesById.ContainsKey(t.Queue))
            {
                throw Refuse(path, $"{at}.queue: '{t.Queue}' is not a queue of {centerPath} (queues: {string.Join(", ", center.QueuesById.Keys.Order(StringComparer.Ordinal))})");
            }

            var skills = ImmutableArray.CreateBuilder<SkillRequirement>();
            foreach (var (skill, proficiency) in t.Skills ?? [])
            {
                if (!center.Skills.Contains(skill))
                {
                    throw Refuse(path, $"{at}.skills.{skill}: not a skill of {centerPath}");
                }

                if (proficiency is < 1 or > 10)
                {
                    throw Refuse(path, $"{at}.skills.{skill}: {proficiency} is out of range; a proficiency is 1-10");
                }

                skills.Add(new SkillRequirement(skill, proficiency));
            }

            traffic.Add(new TrafficStream(
                t.Queue,
                Positive(path, $"{at}.callsPerHour", t.CallsPerHour, allowZero: true),
                Positive(path, $"{at}.ahtSeconds", t.AhtSeconds, allowZero: false),
                t.PatienceSeconds is null ? options.PatienceSeconds : Positive(path, $"{at}.patienceSeconds", t.PatienceSeconds, allowZero: false),
                t.WrapUpSeconds is null ? options.WrapUpSeconds : Positive(path, $"{at}.wrapUpSeconds", t.WrapUpSeconds, allowZero: true),
                skills.ToImmutable(),
                t.Language));
        }

        var scenario = new SimulationScenario(center, traffic.ToImmutable());
        if (scenario.TotalCallsPerHour <= 0)
        {
            throw Refuse(path, "traffic: no queue has any calls (callsPerHour is 0 everywhere)");
        }

        return scenario;
    }

    private static double Positive(string path, string at, double? value, bool allowZero)
    {
        if (value is not { } v || double.IsNaN(v) || v < 0 || (!allowZero && v == 0) || v > 10_000_000)
        {
            var given = value?.ToString(CultureInfo.InvariantCulture) ?? "nothing";
            throw Refuse(path, $"{at}: {given} is not allowed; expected a number {(allowZero ? ">=" : ">")} 0");
        }

        return v;
    }

    private static SimulationArgumentException Refuse(string path, string problem) => new("--scenario", $"--scenario {path}: {problem}");

#pragma warning disable CA1812 // Instantiated by the deserializer.
    private sealed class ScenarioEntry
    {
        public string? Center { get; set; }

        public List<TrafficEntry?>? Traffic { get; set; }
    }

    private sealed class TrafficEntry
    {
        public string? Queue { get; set; }

        public double? CallsPerHour { get; set; }

        public double? AhtSeconds { get; set; }

        public double? PatienceSeconds { get; set; }

        public double? WrapUpSeconds { get; set; }

        public Dictionary<string, int>? Skills { get; set; }

        public string? Language { get; set; }
    }
#pragma warning restore CA1812
}
