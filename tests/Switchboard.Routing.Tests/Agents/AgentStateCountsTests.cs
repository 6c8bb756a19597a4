using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Tests.Agents;

public sealed class AgentStateCountsTests
{
    [Fact]
    public void Only_states_with_agents_are_keys_and_a_missing_state_reads_as_zero()
    {
        var counts = AgentStateCounts.From([0, 2, 3, 0, 1, 0]);

        Assert.Equal(3, counts.Count);
        Assert.Equal([AgentState.NotReady, AgentState.Available, AgentState.OnCall], counts.Keys);
        Assert.Equal(3, counts[AgentState.Available]);
        Assert.Equal(0, counts.GetValueOrDefault(AgentState.WrapUp));
        Assert.False(counts.ContainsKey(AgentState.Reserved));
        Assert.Throws<KeyNotFoundException>(() => counts[AgentState.Reserved]);
    }

    [Fact]
    public void The_counts_are_a_copy_so_later_changes_to_the_source_do_not_show()
    {
        int[] source = [0, 0, 1, 0, 0, 0];
        var counts = AgentStateCounts.From(source);
        source[2] = 7;

        Assert.Equal(1, counts[AgentState.Available]);
    }

    [Fact]
    public void Negative_counts_and_too_many_states_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AgentStateCounts.From([0, -1]));
        Assert.Throws<ArgumentException>(() => AgentStateCounts.From(new int[7]));
    }

    [Fact]
    public void One_agent_in_each_state_and_no_agent_at_all_read_right_and_stay_as_they_were()
    {
        foreach (var state in Enum.GetValues<AgentState>())
        {
            var counts = new int[6];
            counts[(int)state] = 1;
            var one = AgentStateCounts.From(counts);
            counts[(int)state] = 2;
            var two = AgentStateCounts.From(counts);

            Assert.Equal([new KeyValuePair<AgentState, int>(state, 1)], one);
            Assert.Equal([new KeyValuePair<AgentState, int>(state, 2)], two);
            Assert.Equal([new KeyValuePair<AgentState, int>(state, 1)], AgentStateCounts.From(counts.Select(n => n / 2).ToArray()));
        }

        Assert.Empty(AgentStateCounts.From([0, 0, 0]));
        Assert.Empty(AgentStateCounts.From([]));
    }
}
