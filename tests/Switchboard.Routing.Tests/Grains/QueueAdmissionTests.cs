using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>What a queue's own rules do to the calls offered to it: closed, full, required skills, default priority.</summary>
public sealed class QueueAdmissionTests
{
    private static QueueDefinition Billing => TestCenter.Configuration.QueuesById["billing"];

    [Fact]
    public async Task A_closed_queue_refuses_new_calls_naming_the_queue_and_keeps_serving_those_already_waiting()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.Center.UpsertQueueAsync(Billing with { Closed = true });

        var error = await Assert.ThrowsAsync<RoutingException>(() => silo.OfferAsync("c2"));
        await silo.ReadyAsync("a1");

        Assert.Equal("queue-closed", error.Code);
        Assert.Contains("queue billing is closed", error.Message);
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Call("c2").GetAsync());
        Assert.Equal("a1", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_full_queue_refuses_one_call_more_naming_queue_and_limit_and_journals_nothing()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertQueueAsync(Billing with { MaxCalls = 2 });
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");

        var error = await Assert.ThrowsAsync<RoutingException>(() => silo.OfferAsync("c3"));

        Assert.Equal("queue-full", error.Code);
        Assert.Contains("queue billing", error.Message);
        Assert.Contains("max_calls is 2", error.Message);
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Call("c3").GetAsync());
        Assert.Equal(2, (await silo.Queue("billing").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task A_queue_with_room_again_takes_the_call_it_refused_when_full()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertQueueAsync(Billing with { MaxCalls = 1 });
        await silo.OfferAsync("c1");
        await Assert.ThrowsAsync<RoutingException>(() => silo.OfferAsync("c2"));

        await silo.Call("c1").CallerHungUpAsync();
        var retry = await silo.OfferAsync("c2");

        Assert.Equal(CallState.Queued, retry.State);
    }

    [Fact]
    public async Task A_queues_required_skills_are_merged_into_every_call_offered_to_it()
    {
        await using var silo = await RoutingSilo.StartAsync();
        // a1 has technical 3, a2 technical 8: only a2 meets the queue's technical 5.
        await silo.Center.UpsertQueueAsync(Billing with { RequiredSkills = [new SkillRequirement("technical", 5)] });
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        await silo.Agent("a2").SetNotReadyAsync("break");

        await silo.OfferAsync("c1");
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);
        await silo.Agent("a2").SetReadyAsync();
        await silo.SettleAsync();

        Assert.Equal("a2", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_call_without_a_priority_takes_the_queues_default_priority()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertQueueAsync(Billing with { DefaultPriority = 50 });
        await silo.OfferAsync("low", build: b => b.Offer = b.Offer with { Priority = 10 });
        await silo.OfferAsync("unset");

        var waiting = await silo.Queue("billing").GetWaitingCallsAsync();

        Assert.Equal(["unset", "low"], waiting.Select(w => w.CallId));
    }

    [Fact]
    public async Task A_queues_own_position_announcement_interval_replaces_the_silos()
    {
        await using var silo = await RoutingSilo.StartAsync(routing: o => o.PositionAnnouncementInterval = TimeSpan.FromMinutes(10));
        await silo.Center.UpsertQueueAsync(Billing with { PositionAnnouncementInterval = TimeSpan.FromSeconds(20) });
        await silo.OfferAsync("c1");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(20));

        var announced = (await silo.AdapterGrain().GetPendingAsync()).Where(i => i.CallId == "c1").Select(i => i.Action);
        Assert.Equal([new PlayPosition(1, null), new PlayPosition(1, null)], announced);
    }

    [Fact]
    public async Task A_queue_setting_nonsense_is_refused_by_path_and_changes_nothing()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var before = await silo.Center.GetAsync();

        var error = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.UpsertQueueAsync(Billing with
        {
            MaxCalls = -1,
            DefaultPriority = 101,
            ServiceLevelTarget = 1.5,
            RequiredSkills = [new SkillRequirement("juggling", 5)],
        }));

        Assert.Equal(
            ["queues[billing].maxCalls", "queues[billing].defaultPriority", "queues[billing].serviceLevelTarget", "queues[billing].requiredSkills.juggling"],
            error.Problems.Select(p => p.Path).ToArray());
        Assert.Same(before.Configuration, (await silo.Center.GetAsync()).Configuration);
    }

    [Fact]
    public async Task A_skill_a_queue_requires_cannot_be_removed()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Center.UpsertSkillAsync("fr");
        await silo.Center.UpsertQueueAsync(Billing with { RequiredSkills = [new SkillRequirement("fr", 1)] });

        var error = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.RemoveSkillAsync("fr"));

        Assert.Equal("in-use", error.Code);
        Assert.Contains("queue billing", error.Message);
    }

    [Fact]
    public async Task A_call_cannot_be_transferred_to_a_closed_queue()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["support"] with { Closed = true });

        var error = await Assert.ThrowsAsync<RoutingException>(() => silo.Agent("a1").TransferAsync(TransferTarget.ToQueue("support")));

        Assert.Equal("queue-closed", error.Code);
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
    }
}
