using Switchboard.Routing.Staffing;

namespace Switchboard.Routing.Tests.Staffing;

public sealed class ErlangCTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    [Fact]
    public void Twelve_hundred_calls_an_hour_at_240_s_is_80_erlangs()
    {
        Assert.Equal(80.0, ErlangC.OfferedLoad(1200, TimeSpan.FromHours(1), TimeSpan.FromSeconds(240)), 12);
    }

    [Theory]
    // The textbook case: 100 calls in 30 min, AHT 180 s, A = 10 erlangs (values from the closed formula).
    [InlineData(11, 0.6821182046893324, 0.3896138117291533, 122.78127684407983)]
    [InlineData(12, 0.44938822429827086, 0.6401580403740066, 40.44494018684438)]
    [InlineData(13, 0.28527045303649295, 0.7955947884177831, 17.11622718218958)]
    [InlineData(14, 0.17413193359504983, 0.8883500191794669, 7.835937011777243)]
    public void Ten_erlangs_match_the_textbook_table(int agents, double pWait, double serviceLevel, double asaSeconds)
    {
        var aht = TimeSpan.FromSeconds(180);

        Assert.Equal(pWait, ErlangC.ProbabilityOfWaiting(agents, 10), 10);
        Assert.Equal(serviceLevel, ErlangC.ServiceLevel(agents, 10, aht, Twenty), 10);
        Assert.Equal(asaSeconds, ErlangC.AverageSpeedOfAnswer(agents, 10, aht)!.Value.TotalSeconds, 4);
    }

    [Fact]
    public void Ten_erlangs_need_14_agents_for_80_20()
    {
        Assert.Equal(14, ErlangC.AgentsNeeded(10, TimeSpan.FromSeconds(180), Twenty, 0.8));
    }

    [Fact]
    public void Eighty_erlangs_need_87_agents_for_80_20()
    {
        var aht = TimeSpan.FromSeconds(240);

        // Exact rational arithmetic gives SL(86) = 0.75594, SL(87) = 0.81084.
        Assert.Equal(87, ErlangC.AgentsNeeded(80, aht, Twenty, 0.8));
        Assert.Equal(0.8108443814839026, ErlangC.ServiceLevel(87, 80, aht, Twenty), 10);
        Assert.Equal(0.33896721371389016, ErlangC.ProbabilityOfWaiting(87, 80), 10);
    }

    [Fact]
    public void A_thousand_erlangs_compute_without_overflow()
    {
        var p = ErlangC.ProbabilityOfWaiting(1100, 1000);

        Assert.Equal(0.0010447979284075118, p, 12);
        var needed = ErlangC.AgentsNeeded(1000, TimeSpan.FromSeconds(240), Twenty, 0.8);
        Assert.InRange(needed, 1001, 1100);
    }

    [Fact]
    public void Probability_of_waiting_is_between_0_and_1_and_falls_as_agents_are_added()
    {
        var previous = 1.0;
        for (var c = 81; c <= 3000; c++)
        {
            var p = ErlangC.ProbabilityOfWaiting(c, 80);
            Assert.InRange(p, 0.0, 1.0);
            Assert.True(p <= previous, $"P(wait) rose from {previous} to {p} at c = {c}");
            previous = p;
        }

        Assert.True(previous < 1e-12);
    }

    [Fact]
    public void With_no_more_agents_than_erlangs_every_call_waits_and_the_queue_is_not_staffable()
    {
        Assert.Equal(1.0, ErlangC.ProbabilityOfWaiting(80, 80));
        Assert.Equal(1.0, ErlangC.ProbabilityOfWaiting(10, 80));
        Assert.Equal(0.0, ErlangC.ServiceLevel(80, 80, TimeSpan.FromSeconds(240), Twenty));
        Assert.Null(ErlangC.AverageSpeedOfAnswer(79, 80, TimeSpan.FromSeconds(240)));
    }

    [Fact]
    public void The_gap_compares_agents_needed_with_agents_logged_in()
    {
        var gap = ErlangC.Gap(1200, TimeSpan.FromHours(1), TimeSpan.FromSeconds(240), Twenty, 0.8, agentsLoggedIn: 84);

        Assert.Equal(80.0, gap.OfferedLoad, 9);
        Assert.Equal(87, gap.AgentsNeeded);
        Assert.Equal(3, gap.Gap);
        Assert.True(gap.ServiceLevelWithLoggedIn < 0.8);
    }

    [Fact]
    public void Erlang_b_matches_the_closed_formula_for_a_small_case()
    {
        // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
        Assert.Equal(0.2, ErlangC.ErlangB(2, 1), 12);
    }

    [Fact]
    public void Nonsense_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ProbabilityOfWaiting(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ProbabilityOfWaiting(5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.AgentsNeeded(5, TimeSpan.FromSeconds(60), Twenty, 1.0));
    }
}
