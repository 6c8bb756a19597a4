using Switchboard.LoadTests.Simulation;

namespace Switchboard.Routing.Tests.Simulation;

public sealed class SimulatorBehaviourTests
{
    [Theory]
    [InlineData("ideal")]
    public async Task The_same_seed_gives_the_same_figures(string router)
    {
        var options = Simulate.Options(Simulate.Router(router), 600, 180, 33, 6, seed: 7, patienceSeconds: 60);

        var first = await Simulate.RunAsync(options);
        var second = await Simulate.RunAsync(options);
        var other = await Simulate.RunAsync(options with { Seed = 8 });

        Assert.Equal(Json(first), Json(second));
        Assert.NotEqual(first.Center.Offered, other.Center.Offered);
    }

    [Theory]
    [InlineData("ideal", 12)]
    [InlineData("grains", 3)]
    public async Task With_patience_callers_abandon_and_more_of_them_as_the_load_grows(string router, double hours)
    {
        double previous = -1;
        foreach (var callsPerHour in new[] { 600, 720, 800 })
        {
            // 30 agents, AHT 180 s: 30, 36 and 40 erlangs; the last two overload the center.
            var result = await Simulate.RunAsync(Simulate.Options(Simulate.Router(router), callsPerHour, 180, 30, hours, patienceSeconds: 90));
            var c = result.Center;

            Assert.True(c.Abandoned > 0, $"{callsPerHour} calls/h: nobody abandoned");
            Assert.Equal(c.Offered, c.Answered + c.Abandoned);
            Assert.True(c.AbandonRate > previous, $"{callsPerHour} calls/h: abandon rate {c.AbandonRate:P1} did not grow from {previous:P1}");
            previous = c.AbandonRate!.Value;
        }

        Assert.True(previous > 0.1, $"a center overloaded by a third loses more than a tenth of its callers, not {previous:P1}");
    }

    [Fact]
    public async Task Occupancy_and_AHT_are_measured_from_the_agents()
    {
        var result = await Simulate.RunAsync(Simulate.Options(RouterKind.Ideal, 1200, 240, 90, 200));

        Assert.InRange(result.Center.AhtSeconds!.Value, 240 * 0.97, 240 * 1.03);
        Assert.InRange(result.Occupancy!.Value, 80.0 / 90 - 0.02, 80.0 / 90 + 0.02);
    }

    private static string Json(SimulationResult result)
    {
        using var stream = new MemoryStream();
        SimulationReport.WriteJson(result with { WallTime = TimeSpan.Zero }, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
