using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>An adapter names the agent to try first, or the customer behind a call: routing prefers and recognises them.</summary>
public sealed class PreferredAgentTests
{
    [Fact]
    public async Task A_call_naming_a_preferred_agent_waits_for_that_agent_for_the_queues_repeat_caller_wait()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        await silo.Agent("a1").SetNotReadyAsync("break");

        var offered = await silo.OfferAsync("c1", build: b => b.Offer = b.Offer with { PreferredAgentId = "a1" });
        Assert.Equal(CallState.Queued, offered.State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
        await silo.Agent("a1").SetReadyAsync();
        await silo.SettleAsync();

        Assert.Equal("a1", (await silo.Call("c1").GetAsync()).AgentId);
        Assert.Equal(AgentState.Available, (await silo.Agent("a2").GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_call_goes_to_anyone_once_its_preferred_agent_stays_away_past_the_wait()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a2");

        await silo.OfferAsync("c1", build: b => b.Offer = b.Offer with { PreferredAgentId = "a1" });
        await silo.AdvanceAsync(TimeSpan.FromSeconds(11));

        Assert.Equal("a2", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_preferred_agent_the_center_does_not_know_is_ignored()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a2");

        var offered = await silo.OfferAsync("c1", build: b => b.Offer = b.Offer with { PreferredAgentId = "left-the-company" });

        Assert.Equal("a2", offered.AgentId);
    }

    [Fact]
    public async Task A_customer_calling_again_from_another_number_is_a_repeat_caller_and_keeps_the_customer_id()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("first", caller: "+111", build: b => b.Offer = b.Offer with { CustomerId = "crm-42" });
        await silo.Call("first").AnsweredAsync();
        await silo.SettleAsync();
        await silo.ReadyAsync("a2");

        var again = await silo.OfferAsync("again", caller: "anonymous", build: b => b.Offer = b.Offer with { CustomerId = "crm-42" });

        Assert.True(again.RepeatCall);
        Assert.Equal(CallState.Queued, again.State); // waiting for a1, who answered the customer last
        Assert.Equal("crm-42", (await silo.Call("again").GetAsync()).CustomerId);
    }
}
