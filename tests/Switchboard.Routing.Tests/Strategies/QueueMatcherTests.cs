using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Strategies;

public sealed class QueueMatcherTests
{
    private static List<Reservation> Match(QueueDefinition queue, WaitingCall[] calls, params AgentCandidate[] agents)
    {
        var results = new List<Reservation>();
        new QueueMatcher().Match(queue, calls, agents, RoutingStrategy.Create(queue.Strategy), At(100), results);
        return results;
    }

    private static WaitingCall Waiting(string id, double at = 0, string skills = "") =>
        new(Call(id, at, skills: skills), (long)at, 0, false, null, []);

    [Fact]
    public void Preferred_vendors_are_chosen_in_their_order_before_the_strategy_applies()
    {
        var queue = new QueueDefinition("billing") { VendorPolicy = new VendorPolicy([], ["inhouse", "acme"], []) };

        var result = Match(queue, [Waiting("c1")],
            Candidate(Agent("outsider", vendor: "other"), 0),
            Candidate(Agent("partner", vendor: "acme"), 10),
            Candidate(Agent("staff", vendor: "inhouse"), 50));

        Assert.Equal("staff", Assert.Single(result).AgentId);
    }

    [Fact]
    public void Agents_for_whom_the_queue_has_higher_priority_are_chosen_first()
    {
        var queue = new QueueDefinition("billing");

        var result = Match(queue, [Waiting("c1")],
            Candidate(Agent("backup", queues: "billing:1,sales:5"), 0),
            Candidate(Agent("primary", queues: "billing:5,sales:1"), 60));

        Assert.Equal("primary", Assert.Single(result).AgentId);
    }

    [Fact]
    public void The_queue_strategy_picks_among_the_best_tier()
    {
        var queue = new QueueDefinition("billing") { Strategy = StrategyKind.MostSkilled };

        var result = Match(queue, [Waiting("c1", skills: "billing:2")],
            Candidate(Agent("a1", skills: "billing:3"), 0),
            Candidate(Agent("a2", skills: "billing:8"), 60));

        Assert.Equal("a2", Assert.Single(result).AgentId);
    }

    [Fact]
    public void Calls_are_served_in_queue_order_each_by_the_agent_the_strategy_promises()
    {
        var queue = new QueueDefinition("billing");

        var result = Match(queue, [Waiting("c1", 0), Waiting("c2", 1)],
            Candidate(Agent("late"), 90), Candidate(Agent("early"), 10));

        Assert.Equal([("c1", "early"), ("c2", "late")], result.Select(r => (r.CallId, r.AgentId)).ToArray());
    }

    [Fact]
    public void Matching_allocates_nothing_once_its_buffers_are_sized()
    {
        var queue = new QueueDefinition("billing") { VendorPolicy = new VendorPolicy([], ["inhouse"], ["globex"]) };
        var calls = Enumerable.Range(0, 50).Select(i => Waiting($"c{i}", i, skills: "billing:3")).ToArray();
        var agents = Enumerable.Range(0, 200)
            .Select(i => Candidate(Agent($"a{i}", skills: $"billing:{1 + (i % 10)}", vendor: i % 3 == 0 ? "acme" : "inhouse"), i))
            .ToArray();
        var matcher = new QueueMatcher();
        var strategy = RoutingStrategy.Create(StrategyKind.MostSkilled);
        var results = new List<Reservation>(100);
        matcher.Match(queue, calls, agents, strategy, At(100), results);
        results.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        matcher.Match(queue, calls, agents, strategy, At(100), results);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50, results.Count);
        Assert.Equal(0, allocated);
    }
}
