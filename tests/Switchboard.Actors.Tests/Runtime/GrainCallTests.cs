using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;
using Switchboard.Actors.Time;

namespace Switchboard.Actors.Tests.Runtime;

public sealed class GrainCallTests
{
    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_reference_is_returned_at_once_and_the_first_call_activates_the_grain()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = NewKey();
        var counter = silo.Grains.GetGrain<ICounterGrain>(key);
        Assert.False(CounterGrain.Constructions.ContainsKey(key));

        Assert.Equal(1, await counter.Increment());
        Assert.Equal(1, CounterGrain.Constructions[key]);
    }

    [Fact]
    public async Task References_are_values_equal_by_interface_and_key()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<ICounterGrain>("same");
        var b = silo.Grains.GetGrain<ICounterGrain>("same");
        var c = silo.Grains.GetGrain<ICounterGrain>("other");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal("same", a.GetPrimaryKeyString());
        Assert.Equal(new GrainId("counter", "same"), a.GetGrainId());
    }

    [Fact]
    public async Task Thousands_of_concurrent_first_calls_create_exactly_one_activation_per_grain()
    {
        await using var silo = await TestSilo.StartAsync();
        var keys = Enumerable.Range(0, 20).Select(_ => NewKey()).ToArray();
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 4000).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await silo.Grains.GetGrain<ICounterGrain>(keys[i % keys.Length]).Increment();
        })).ToArray();
        start.Set();
        await Task.WhenAll(calls);

        foreach (var key in keys)
        {
            Assert.Equal(1, CounterGrain.Constructions[key]);
            Assert.Equal(200, await silo.Grains.GetGrain<ICounterGrain>(key).Get());
        }
    }

    [Fact]
    public async Task Turns_of_a_grain_never_interleave_even_across_awaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>(NewKey());

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => grain.Work(yields: 3))));

        var (maxInside, parallel) = await grain.Observed();
        Assert.Equal(1, maxInside);
        Assert.False(parallel);
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_turns_at_awaits_but_never_runs_them_in_parallel()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantTurnGrain>(NewKey());

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => grain.Work(yields: 3))));

        var (maxInside, parallel) = await grain.Observed();
        Assert.True(maxInside > 1, $"expected interleaved turns, saw at most {maxInside} inside at once");
        Assert.False(parallel);
    }

    [Fact]
    public async Task An_interleaving_request_runs_while_a_turn_waits_even_behind_a_request_that_must_wait_for_that_turn()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = NewKey();
        var grain = silo.Grains.GetGrain<IGateGrain>(key);

        var first = grain.Hold(1);
        await Poll.UntilAsync(async () => (await grain.Holds()).Inside.SequenceEqual([1]), "the first hold inside");
        var second = grain.Hold(2); // must wait for the first turn: queued ahead of the question below

        // Asked behind the waiting turn, answered while the first one still holds the grain. A mailbox that only
        // looks at its head would keep the question until the first turn ended: a deadlock when that turn waits
        // on whoever asked.
        var holds = await grain.Holds().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1 }, holds.Inside);
        Assert.Empty(holds.Finished);
        Assert.False(second.IsCompleted);

        GateGrain.Gate(key, 1).SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(async () => (await grain.Holds()).Inside.SequenceEqual([2]), "the second hold inside");
        GateGrain.Gate(key, 2).SetResult();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1, 2 }, (await grain.Holds()).Finished); // the turns that must not interleave kept their order
    }

    [Fact]
    public async Task Grains_call_other_grains_and_get_their_answers()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<ICounterGrain>(NewKey());
        var bKey = NewKey();

        Assert.Equal(25, await a.AddVia(bKey, 25));
        Assert.Equal(25, await silo.Grains.GetGrain<ICounterGrain>(bKey).Get());
    }

    [Fact]
    public async Task An_exception_thrown_in_a_grain_reaches_the_caller_with_its_type_and_message()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IFaultyGrain>(7);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Throw("queue billing is closed"));
        Assert.Equal("queue billing is closed", error.Message);
        Assert.Equal("still alive", await grain.Echo("still alive"));
    }

    [Fact]
    public async Task A_call_without_an_answer_fails_after_the_response_timeout_naming_grain_method_and_timeout()
    {
        var clock = new VirtualTimeProvider();
        await using var silo = await TestSilo.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var grain = silo.Grains.GetGrain<IFaultyGrain>(42);

        var call = grain.Hang();
        await Poll.UntilAsync(() => FaultyGrain.Hangs.ContainsKey(42), "the call to start");
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Contains("faulty/42", error.Message);
        Assert.Contains("IFaultyGrain.Hang", error.Message);
        Assert.Contains("30 s", error.Message);
        FaultyGrain.Hangs[42].SetResult();
    }

    [Fact]
    public async Task A_turn_that_never_ends_does_not_keep_the_silo_from_stopping()
    {
        var silo = await TestSilo.StartAsync(options: o => o.DeactivationTimeout = TimeSpan.FromMilliseconds(200));
        var stuck = silo.Grains.GetGrain<IFaultyGrain>(43).Hang();
        await Poll.UntilAsync(() => FaultyGrain.Hangs.ContainsKey(43), "the call to start");

        await silo.DisposeAsync();

        Assert.False(stuck.IsCompleted);
        FaultyGrain.Hangs[43].SetResult();
    }

    [Fact]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_activates_again()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IFailingActivationGrain>(Guid.NewGuid());

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.Ping());
        Assert.Contains("first activation refuses", error.Message);
        Assert.Equal(2, await grain.Ping());
    }

    [Fact]
    public async Task Getting_a_grain_whose_interface_no_class_implements_is_a_clear_error()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<IUnimplementedGrain>("x"));
        Assert.Contains("IUnimplementedGrain", error.Message);
        Assert.Contains("AddGrains", error.Message);
    }

    [Fact]
    public async Task A_null_key_is_refused_at_once()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<ArgumentNullException>(() => silo.Grains.GetGrain<ICounterGrain>((string)null!));
        Assert.Equal("primaryKey", error.ParamName);
    }

    [Fact]
    public async Task A_grain_that_asks_to_be_deactivated_comes_back_as_a_new_activation_on_the_next_call()
    {
        await using var silo = await TestSilo.StartAsync();
        var key = NewKey();
        var grain = silo.Grains.GetGrain<ICounterGrain>(key);
        var first = await grain.GetInstanceId();

        await grain.Deactivate();
        await Poll.UntilAsync(() => CounterGrain.Deactivations.GetValueOrDefault(key) == 1, "deactivation");

        Assert.NotEqual(first, await grain.GetInstanceId());
        Assert.Equal(2, CounterGrain.Constructions[key]);
    }

    [Fact]
    public async Task Shutting_the_silo_down_deactivates_every_activation()
    {
        var silo = await TestSilo.StartAsync();
        var keys = Enumerable.Range(0, 50).Select(_ => NewKey()).ToArray();
        foreach (var key in keys)
        {
            await silo.Grains.GetGrain<ICounterGrain>(key).Increment();
        }

        await silo.DisposeAsync();

        Assert.All(keys, key => Assert.Equal(1, CounterGrain.Deactivations.GetValueOrDefault(key)));
    }
}
