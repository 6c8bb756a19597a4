using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// A silo taking hundreds of calls a second must not keep an activation per finished call or per caller: they
/// leave memory once their work is durable, and come back from the store when asked.
/// </summary>
public sealed class ActivationLifetimeTests
{
    [Fact]
    public async Task Finished_calls_and_their_callers_leave_memory_and_a_late_survey_brings_the_call_back_for_as_long_as_it_takes()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        // A first call brings up what stays (the adapter's outbox and the like).
        await silo.OfferAsync("c0", caller: "+15550000");
        await silo.Call("c0").CallerHungUpAsync();
        await silo.SettleAsync();
        var before = await silo.ActivationCountAsync();

        await silo.OfferAsync("c1", caller: "+15550001");
        await silo.Call("c1").AnsweredAsync();
        await silo.Call("c1").EndedAsync();
        await silo.OfferAsync("c2", caller: "+15550002");
        await silo.Call("c2").CallerHungUpAsync();
        await LeftMemoryAsync(silo, before);

        var surveyed = await silo.Call("c1").SurveyAsync(5);
        Assert.Equal((CallState.Completed, "a1"), (surveyed.State, surveyed.AgentId));
        await LeftMemoryAsync(silo, before);
    }

    /// <summary>
    /// The silo's activations come back to <paramref name="expected"/>: deactivation runs on the silo's own schedule,
    /// so a loaded machine may need a few settles; a leak never gets there.
    /// </summary>
    private static async Task LeftMemoryAsync(RoutingSilo silo, int expected)
    {
        var count = -1;
        for (var attempt = 0; attempt < 50 && count != expected; attempt++)
        {
            await silo.SettleAsync();
            count = await silo.ActivationCountAsync();
            if (count != expected)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(expected, count);
    }

    [Fact]
    public async Task A_caller_is_still_recognised_as_repeating_after_its_memory_left_the_silo()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", caller: "+15550003");
        await silo.Call("c1").CallerHungUpAsync();
        await silo.SettleAsync();
        var settled = await silo.ActivationCountAsync();

        var again = await silo.OfferAsync("c2", caller: "+15550003");

        Assert.True(again.RepeatCall);
        await silo.Call("c2").CallerHungUpAsync();
        await silo.SettleAsync();
        Assert.Equal(settled, await silo.ActivationCountAsync());
    }
}
