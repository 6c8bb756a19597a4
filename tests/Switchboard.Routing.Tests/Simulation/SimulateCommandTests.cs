using System.Text.Json;

namespace Switchboard.Routing.Tests.Simulation;

public sealed class SimulateCommandTests
{
    [Theory]
    [InlineData("--agents", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "zero", "--hours", "1")]
    [InlineData("--agents", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "0", "--hours", "1")]
    [InlineData("--calls-per-hour", "--calls-per-hour", "-5", "--aht-seconds", "240", "--agents", "90", "--hours", "1")]
    [InlineData("--aht-seconds", "--calls-per-hour", "1200", "--agents", "90", "--hours", "1")]
    [InlineData("--hours", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "NaN")]
    [InlineData("--seed", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--seed", "1.5")]
    [InlineData("--patience-seconds", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--patience-seconds", "0")]
    [InlineData("--router", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--router", "fast")]
    [InlineData("--frobnicate", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--frobnicate", "3")]
    [InlineData("--hours", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours")]
    [InlineData("--warmup-minutes", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--warmup-minutes", "60")]
    [InlineData("--scenario", "--hours", "1", "--scenario", "/no/such/scenario.yaml")]
    [InlineData("--json", "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "1", "--json", "/no/such/folder/figures.json")]
    [InlineData("--scenario", "--calls-per-hour", "1200", "--hours", "1", "--scenario", "../../../../../load-tests/Switchboard.LoadTests/Scenarios/scenario.yaml")]
    public async Task A_bad_argument_exits_with_2_and_names_the_option(string option, params string[] args)
    {
        var (code, output, error) = await Simulate.CommandAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task A_value_out_of_range_says_what_is_allowed()
    {
        var (_, _, error) = await Simulate.CommandAsync("--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "-3", "--hours", "1");

        Assert.Contains("--agents: -3 is out of range; expected a whole number >= 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_figures_are_printed_with_Erlang_C_beside_them_and_written_as_JSON()
    {
        var json = Path.Combine(Path.GetTempPath(), $"simulate-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = await Simulate.CommandAsync(
                "--calls-per-hour", "1200", "--aht-seconds", "240", "--agents", "90", "--hours", "4", "--seed", "3", "--router", "ideal", "--json", json);

            Assert.Equal(0, code);
            Assert.Equal("", error);
            Assert.Contains("service level (20 s)", output, StringComparison.Ordinal);
            Assert.Contains("Erlang C", output, StringComparison.Ordinal);

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = document.RootElement;
            Assert.InRange(root.GetProperty("offered").GetInt64(), 4000, 5600);
            Assert.Equal(root.GetProperty("offered").GetInt64(), root.GetProperty("answered").GetInt64());
            Assert.Equal(0, root.GetProperty("abandoned").GetInt64());
            Assert.InRange(root.GetProperty("service_level").GetDouble(), 0.5, 1.0);
            Assert.True(root.GetProperty("asa_seconds").GetDouble() >= 0);
            Assert.Equal(0.915, root.GetProperty("erlang_c").GetProperty("service_level").GetDouble(), 3);
            Assert.Equal(4.68, root.GetProperty("erlang_c").GetProperty("asa_seconds").GetDouble(), 2);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task Help_prints_the_usage_and_succeeds()
    {
        var (code, output, _) = await Simulate.CommandAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("--calls-per-hour", output, StringComparison.Ordinal);
    }
}
