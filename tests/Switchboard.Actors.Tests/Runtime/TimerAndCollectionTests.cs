using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Time;

namespace Switchboard.Actors.Tests.Runtime;

public sealed class TimerAndCollectionTests
{
    [Fact]
    public async Task A_grain_timer_ticks_on_the_virtual_clock_as_a_turn_until_disposed()
    {
        var clock = new VirtualTimeProvider();
        await using var silo = await TestSilo.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var key = Guid.NewGuid().ToString("N");
        var grain = silo.Grains.GetGrain<ITimerGrain>(key);
        await grain.Start(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await grain.Ticks());

        for (var expected = 1; expected <= 3; expected++)
        {
            clock.Advance(TimeSpan.FromSeconds(expected == 1 ? 1 : 5));
            await Poll.UntilAsync(() => TimerGrain.TickCounts.GetValueOrDefault(key) == expected, $"tick {expected}");
        }

        await grain.Stop();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, await grain.Ticks());
    }

    [Fact]
    public async Task Idle_activations_are_collected_after_their_age_limit_on_the_virtual_clock()
    {
        var clock = new VirtualTimeProvider();
        await using var silo = await TestSilo.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var shortKey = Guid.NewGuid().ToString("N");
        var counterKey = Guid.NewGuid().ToString("N");
        await silo.Grains.GetGrain<IShortLivedGrain>(shortKey).Touch();
        await silo.Grains.GetGrain<ICounterGrain>(counterKey).Increment();

        clock.Advance(TimeSpan.FromMinutes(3));
        await Poll.UntilAsync(() => ShortLivedGrain.Deactivated.ContainsKey(shortKey), "the short-lived grain's collection");
        Assert.Equal(DeactivationReason.IdleCollection, ShortLivedGrain.Deactivated[shortKey]);
        Assert.False(CounterGrain.Deactivations.ContainsKey(counterKey), "a grain with the default 15 min age was collected after 3 min");

        clock.Advance(TimeSpan.FromMinutes(13));
        await Poll.UntilAsync(() => CounterGrain.Deactivations.ContainsKey(counterKey), "the default grain's collection after 15 min");
    }

    [Fact]
    public async Task A_grain_in_use_is_not_collected()
    {
        var clock = new VirtualTimeProvider();
        await using var silo = await TestSilo.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var key = Guid.NewGuid().ToString("N");
        var grain = silo.Grains.GetGrain<IShortLivedGrain>(key);

        for (var minute = 0; minute < 10; minute++)
        {
            await grain.Touch();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.False(ShortLivedGrain.Deactivated.ContainsKey(key));
    }
}

public sealed class QuiescenceTests
{
    [Fact]
    public async Task The_runtime_is_quiescent_once_every_call_and_the_turns_it_caused_have_finished()
    {
        await using var silo = await TestSilo.StartAsync();
        var diagnostics = silo.Services.GetRequiredService<Switchboard.Actors.Hosting.ISiloDiagnostics>();
        var calls = Enumerable.Range(0, 200).Select(i => silo.Grains.GetGrain<ICounterGrain>($"q{i % 7}-{Guid.NewGuid():N}").AddVia($"q-other-{i % 5}", 3)).ToArray();

        await Task.WhenAll(calls);
        await diagnostics.WaitForQuiescenceAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, diagnostics.PendingWork);
        Assert.True(diagnostics.ActivationCount >= 200);
    }

    [Fact]
    public async Task Waiting_for_quiescence_waits_for_a_turn_that_is_still_running()
    {
        await using var silo = await TestSilo.StartAsync();
        var diagnostics = silo.Services.GetRequiredService<Switchboard.Actors.Hosting.ISiloDiagnostics>();
        var call = silo.Grains.GetGrain<IFaultyGrain>(77).Hang();
        await Poll.UntilAsync(() => FaultyGrain.Hangs.ContainsKey(77), "the call to start");

        var quiet = diagnostics.WaitForQuiescenceAsync();
        Assert.False(quiet.IsCompleted);
        FaultyGrain.Hangs[77].SetResult();

        await quiet.WaitAsync(TimeSpan.FromSeconds(10));
        await call;
        Assert.Equal(0, diagnostics.PendingWork);
    }
}
