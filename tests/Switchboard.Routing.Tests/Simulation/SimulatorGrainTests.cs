using Switchboard.LoadTests.Simulation;

namespace Switchboard.Routing.Tests.Simulation;

/// <summary>
/// The real routing grains under simulated traffic. The simulator draws every random number in event order from
/// one seeded generator, and talk times do not depend on which agent answers, so two routers that answer every
/// call at the same instant produce the same run. The grains must therefore reproduce the ideal router's figures
/// exactly for the same seed: any wait they add (a reservation that waits for a tick, a lost wake-up, an offer
/// that is withdrawn) changes the figures.
/// </summary>
public sealed class SimulatorGrainTests
{
    [Theory]
    // Heavy: 80 erlangs on 85 agents (ρ = 0.94): half the callers wait.
    [InlineData(1200, 240, 85, 2.0, null)]
    // Light: 10 erlangs on 14 agents.
    [InlineData(120, 300, 14, 10.0, null)]
    // Overloaded with impatient callers: 36 erlangs on 30 agents, mean patience 90 s.
    [InlineData(720, 180, 30, 2.0, 90.0)]
    public async Task The_grains_answer_every_call_when_the_ideal_router_does(double callsPerHour, double ahtSeconds, int agents, double hours, double? patience)
    {
        var options = Simulate.Options(RouterKind.Ideal, callsPerHour, ahtSeconds, agents, hours, seed: 11, patienceSeconds: patience, warmupMinutes: 0);

        var ideal = await Simulate.RunAsync(options);
        var grains = await Simulate.RunAsync(options with { Router = RouterKind.Grains });

        Assert.True(ideal.Center.AnsweredAfterWaiting > 0, "the load is too light to test anything: nobody waited");
        Assert.Equal(Figures(ideal), Figures(grains));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_figures_on_the_grains()
    {
        var options = Simulate.Options(RouterKind.Grains, 720, 180, 30, 1, seed: 5, patienceSeconds: 60, warmupMinutes: 0);

        var first = await Simulate.RunAsync(options);
        var second = await Simulate.RunAsync(options);

        Assert.True(first.Center.Abandoned > 0);
        Assert.Equal(Figures(first), Figures(second));
    }

    private static string Figures(SimulationResult r)
    {
        var c = r.Center;
        return $"offered {c.Offered} answered {c.Answered} abandoned {c.Abandoned} within-T {c.AnsweredWithinThreshold} "
            + $"abandoned-after-T {c.AbandonedAfterThreshold} waited {c.AnsweredAfterWaiting} wait {c.WaitOfAnsweredSeconds:R} "
            + $"longest {c.LongestWaitSeconds:R} handled {c.Handled} handle {c.HandleSeconds:R} occupancy {r.Occupancy:R} operations {r.RouterOperations}";
    }
}
