using Switchboard.Routing.Strategies;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Strategies;

public sealed class CrossQueueArbitrationTests
{
    [Fact]
    public void The_agents_priority_for_the_queue_decides_first()
    {
        QueueClaim[] claims = [new("sales", "c1", 1, 9, At(0)), new("billing", "c2", 5, 0, At(50))];

        Assert.Equal(1, CrossQueueArbitration.Choose(claims));
    }

    [Fact]
    public void With_equal_agent_priority_the_higher_call_priority_wins()
    {
        QueueClaim[] claims = [new("sales", "c1", 3, 1, At(0)), new("billing", "c2", 3, 4, At(50))];

        Assert.Equal(1, CrossQueueArbitration.Choose(claims));
    }

    [Fact]
    public void With_equal_priorities_the_older_call_wins()
    {
        QueueClaim[] claims = [new("sales", "c1", 3, 1, At(20)), new("billing", "c2", 3, 1, At(10)), new("vip", "c3", 3, 1, At(30))];

        Assert.Equal(1, CrossQueueArbitration.Choose(claims));
        Assert.Equal(-1, CrossQueueArbitration.Choose([]));
    }
}
