using System.Globalization;
using System.Text.Json;
using Switchboard.Routing.Configuration;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// The routing benchmark's center: <c>queues</c> queues, <c>agents</c> agents in teams of 20 split over two vendors,
/// each agent serving <c>queuesPerAgent</c> distinct queues drawn from a seeded generator (so every queue has about
/// agents × queuesPerAgent / queues agents, and agents arbitrate between queues).
/// </summary>
internal static class BenchmarkCenter
{
    public static string QueueId(int i) => "q" + i.ToString("D2", CultureInfo.InvariantCulture);

    public static CenterConfiguration Build(int agents, int queues, int queuesPerAgent, int seed = 1)
    {
        var random = new Random(seed);
        var queueList = new List<object>();
        for (var q = 0; q < queues; q++)
        {
            queueList.Add(new Dictionary<string, object> { ["id"] = QueueId(q) });
        }

        var teams = new List<object>();
        var agentList = new List<object>();
        var pick = new List<int>(queuesPerAgent);
        for (var a = 0; a < agents; a++)
        {
            var team = "t" + (a / 20).ToString("D4", CultureInfo.InvariantCulture);
            if (a % 20 == 0)
            {
                teams.Add(new Dictionary<string, object> { ["id"] = team, ["vendor"] = (a / 20) % 3 == 2 ? "acme" : "inhouse" });
            }

            pick.Clear();
            while (pick.Count < Math.Min(queuesPerAgent, queues))
            {
                var q = random.Next(queues);
                if (!pick.Contains(q))
                {
                    pick.Add(q);
                }
            }

            var served = new Dictionary<string, int>();
            foreach (var q in pick)
            {
                served[QueueId(q)] = 1;
            }

            agentList.Add(new Dictionary<string, object>
            {
                ["id"] = "a" + a.ToString("D5", CultureInfo.InvariantCulture),
                ["team"] = team,
                ["queues"] = served,
            });
        }

        var file = new Dictionary<string, object>
        {
            ["skills"] = Array.Empty<string>(),
            ["vendors"] = new[] { new Dictionary<string, object> { ["id"] = "inhouse" }, new Dictionary<string, object> { ["id"] = "acme" } },
            ["teams"] = teams,
            ["queues"] = queueList,
            ["agents"] = agentList,
        };
        return CenterConfigurationLoader.Parse(JsonSerializer.Serialize(file), CenterConfigurationFormat.Json, "(benchmark center)");
    }
}
