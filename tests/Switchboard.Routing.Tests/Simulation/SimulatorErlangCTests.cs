using Switchboard.LoadTests.Simulation;

namespace Switchboard.Routing.Tests.Simulation;

/// <summary>
/// With Poisson arrivals, exponential handle times and no abandonment, the simulated center must land on Erlang C:
/// service level within 3 points, ASA within 10 %. The hours are chosen so that the batch-means sampling error of
/// ASA is under a third of the tolerance (docs/simulator.md lists the errors measured with several seeds).
/// </summary>
public sealed class SimulatorErlangCTests
{
    [Theory]
    // The classic example: 1,200 calls an hour, AHT 240 s (80 erlangs), 90 agents: ρ = 0.89. 3 M calls.
    [InlineData(1200, 240, 90, 2500)]
    // Heavy: 24 erlangs on 28 agents, ρ = 0.86, a quarter of the calls miss 20 s. 2 M calls.
    [InlineData(360, 240, 28, 5500)]
    // Light: 10 erlangs on 14 agents, ρ = 0.71. 1 M calls.
    [InlineData(120, 300, 14, 8400)]
    public async Task The_ideal_router_lands_on_Erlang_C(double callsPerHour, double ahtSeconds, int agents, double hours)
    {
        var result = await Simulate.RunAsync(Simulate.Options(RouterKind.Ideal, callsPerHour, ahtSeconds, agents, hours));

        AssertMatchesErlangC(result);
    }

    internal static void AssertMatchesErlangC(SimulationResult result)
    {
        var erlang = result.ErlangC!;
        var center = result.Center;
        Assert.Equal(0, center.Abandoned);
        Assert.Equal(center.Offered, center.Answered);
        Assert.InRange(center.ServiceLevel!.Value, erlang.ServiceLevel - 0.03, erlang.ServiceLevel + 0.03);
        Assert.InRange(center.AsaSeconds!.Value, erlang.AsaSeconds!.Value * 0.9, erlang.AsaSeconds!.Value * 1.1);

        // The sampling error must be well inside the tolerance, or agreement proves nothing.
        Assert.True(result.AsaHalfWidthSeconds < erlang.AsaSeconds * 0.1,
            $"ASA ±{result.AsaHalfWidthSeconds:0.00} s is not well inside 10 % of {erlang.AsaSeconds:0.00} s: simulate more hours");
    }
}
