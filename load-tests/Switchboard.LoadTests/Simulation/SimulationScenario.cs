using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;

namespace Switchboard.LoadTests.Simulation;

/// <summary>A center to route in and the traffic offered to it.</summary>
internal sealed record SimulationScenario(CenterConfiguration Center, ImmutableArray<TrafficStream> Traffic)
{
    /// <summary>The queue of the single-queue scenario.</summary>
    public const string SingleQueueId = "sim";

    /// <summary>One queue, every agent serving it, no skills: the Erlang C model.</summary>
    public bool IsSingleQueue => Traffic.Length == 1 && Center.Queues.Length == 1;

    public double TotalCallsPerHour => Traffic.Sum(t => t.CallsPerHour);

    /// <summary>
    /// One queue (longest-idle) served by <see cref="SimulationOptions.Agents"/> identical agents. Wrap-up is
    /// never forced (the simulated agents end it), and offers ring long enough for the agents to answer.
    /// </summary>
    public static SimulationScenario SingleQueue(SimulationOptions options)
    {
        var agents = new List<object>(options.Agents);
        var width = options.Agents.ToString(CultureInfo.InvariantCulture).Length;
        for (var i = 1; i <= options.Agents; i++)
        {
            agents.Add(new Dictionary<string, object>
            {
                ["id"] = "agent-" + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'),
                ["team"] = "team-1",
                ["queues"] = new Dictionary<string, int> { [SingleQueueId] = 1 },
            });
        }

        var file = new Dictionary<string, object>
        {
            ["skills"] = Array.Empty<string>(),
            ["vendors"] = new[] { new Dictionary<string, object> { ["id"] = "inhouse" } },
            ["teams"] = new[] { new Dictionary<string, object> { ["id"] = "team-1", ["vendor"] = "inhouse" } },
            ["queues"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["id"] = SingleQueueId,
                    ["serviceLevelSeconds"] = options.ServiceLevelSeconds,
                    ["maxWrapUpSeconds"] = 86_400,
                },
            },
            ["agents"] = agents,
        };

        var center = CenterConfigurationLoader.Parse(JsonSerializer.Serialize(file), CenterConfigurationFormat.Json, "(single queue)");
        var traffic = new TrafficStream(SingleQueueId, options.CallsPerHour, options.AhtSeconds, options.PatienceSeconds, options.WrapUpSeconds);
        return new SimulationScenario(center, [traffic]);
    }
}
