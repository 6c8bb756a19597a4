using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Strategies;

public sealed class StrategyTests
{
    private static readonly WaitingCall BillingCall = new(Call("c1", skills: "billing:3"), 1, 0, false, null, []);

    private static string Pick(RoutingStrategy strategy, params AgentCandidate[] agents) =>
        agents[strategy.Choose(agents, BillingCall)].AgentId;

    [Fact]
    public void Longest_idle_picks_the_agent_available_the_longest()
    {
        Assert.Equal("a2", Pick(LongestIdleStrategy.Instance,
            Candidate(Agent("a1"), 30), Candidate(Agent("a2"), 10), Candidate(Agent("a3"), 20)));
    }

    [Fact]
    public void Longest_idle_breaks_ties_by_agent_id_so_choices_are_repeatable()
    {
        Assert.Equal("a1", Pick(LongestIdleStrategy.Instance, Candidate(Agent("a2"), 10), Candidate(Agent("a1"), 10)));
    }

    [Fact]
    public void Most_skilled_picks_the_agent_with_the_highest_proficiency()
    {
        Assert.Equal("a3", Pick(MostSkilledStrategy.Instance,
            Candidate(Agent("a1", skills: "billing:4"), 0),
            Candidate(Agent("a2", skills: "billing:6"), 5),
            Candidate(Agent("a3", skills: "billing:9"), 10)));
    }

    [Fact]
    public void Most_skilled_falls_back_to_longest_idle_among_equals()
    {
        Assert.Equal("a2", Pick(MostSkilledStrategy.Instance,
            Candidate(Agent("a1", skills: "billing:7"), 20),
            Candidate(Agent("a2", skills: "billing:7"), 10)));
    }

    [Fact]
    public void Least_occupied_picks_the_agent_with_the_lowest_occupancy()
    {
        Assert.Equal("a2", Pick(LeastOccupiedStrategy.Instance,
            Candidate(Agent("a1"), 0, occupancy: 0.9),
            Candidate(Agent("a2"), 50, occupancy: 0.2),
            Candidate(Agent("a3"), 10, occupancy: 0.5)));
    }

    [Fact]
    public void Round_robin_takes_agents_in_turn_and_wraps_around()
    {
        var strategy = new RoundRobinStrategy();
        AgentCandidate[] agents = [Candidate(Agent("a3")), Candidate(Agent("a1")), Candidate(Agent("a2"))];

        var picks = Enumerable.Range(0, 4).Select(_ => Pick(strategy, agents)).ToArray();

        Assert.Equal(["a1", "a2", "a3", "a1"], picks);
    }

    [Fact]
    public void Round_robin_skips_an_agent_that_is_not_available_this_time()
    {
        var strategy = new RoundRobinStrategy();
        Pick(strategy, Candidate(Agent("a1")), Candidate(Agent("a2")), Candidate(Agent("a3")));

        Assert.Equal("a3", Pick(strategy, Candidate(Agent("a1")), Candidate(Agent("a3"))));
    }

    [Fact]
    public void Random_with_the_same_seed_makes_the_same_choices_and_reaches_every_agent()
    {
        AgentCandidate[] agents = [Candidate(Agent("a1")), Candidate(Agent("a2")), Candidate(Agent("a3"))];
        var first = new RandomStrategy(42);
        var second = new RandomStrategy(42);

        var a = Enumerable.Range(0, 60).Select(_ => Pick(first, agents)).ToArray();
        var b = Enumerable.Range(0, 60).Select(_ => Pick(second, agents)).ToArray();

        Assert.Equal(a, b);
        Assert.Equal(3, a.Distinct().Count());
    }

    [Theory]
    [InlineData(StrategyKind.LongestIdle, typeof(LongestIdleStrategy))]
    [InlineData(StrategyKind.MostSkilled, typeof(MostSkilledStrategy))]
    [InlineData(StrategyKind.LeastOccupied, typeof(LeastOccupiedStrategy))]
    [InlineData(StrategyKind.RoundRobin, typeof(RoundRobinStrategy))]
    [InlineData(StrategyKind.Random, typeof(RandomStrategy))]
    public void Each_strategy_kind_creates_its_strategy(StrategyKind kind, Type expected)
    {
        var strategy = RoutingStrategy.Create(kind, seed: 1);

        Assert.IsType(expected, strategy);
        Assert.Equal(kind, strategy.Kind);
    }
}
