using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>What happens to a call that waits: max wait, callbacks, repeat callers, transfers, desks that disconnect.</summary>
public sealed class WaitingTests
{
    [Fact]
    public async Task A_call_that_waits_its_queue_maximum_overflows_keeping_its_arrival_time()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("early", queue: "support");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(10));
        await silo.OfferAsync("c1", queue: "overflowing");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(30));
        await silo.OfferAsync("late", queue: "support");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(31));

        var call = await silo.Call("c1").GetAsync();
        Assert.Equal(("support", CallState.Queued), (call.QueueId, call.State));
        Assert.Equal(TestCenter.Start.AddSeconds(10), call.EnqueuedAt);
        Assert.Equal(["early", "c1", "late"], (await silo.Queue("support").GetWaitingCallsAsync()).Select(w => w.CallId));
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.CallId == "c1" && i.Action == new OverflowCall("support", false));
        Assert.Equal(0, (await silo.Queue("overflowing").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task A_call_that_waits_its_queue_maximum_is_sent_to_the_queues_external_number_and_finishes_here()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", queue: "outside");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(61));

        Assert.Equal(CallState.TimedOut, (await silo.Call("c1").GetAsync()).State);
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.CallId == "c1" && i.Action == new OverflowCall("outside", false, "+4930123456"));
        Assert.Equal(0, (await silo.Queue("outside").GetStatusAsync()).CallsWaiting);
        var figures = (await silo.Figures.GetLiveAsync(Switchboard.Routing.Figures.FigureScope.Queue("outside"), TimeSpan.FromMinutes(15))).Today;
        Assert.Equal((1, 1, 1), (figures.Offered, figures.Overflowed, figures.TimedOut));
    }

    [Fact]
    public async Task A_call_that_waits_its_queue_maximum_goes_to_voicemail()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", queue: "voicemail");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(61));

        Assert.Equal(CallState.TimedOut, (await silo.Call("c1").GetAsync()).State);
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.CallId == "c1" && i.Action is SendToVoicemail);
        Assert.Equal(0, (await silo.Queue("voicemail").GetStatusAsync()).CallsWaiting);
    }

    [Fact]
    public async Task A_call_that_waits_its_queue_maximum_becomes_a_callback_that_keeps_its_place_and_is_placed_when_an_agent_is_free()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", queue: "callback", caller: "+49301");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
        await silo.OfferAsync("c2", queue: "callback");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(57));
        var waiting = await silo.Queue("callback").GetWaitingCallsAsync();
        Assert.Equal(CallState.CallbackScheduled, (await silo.Call("c1").GetAsync()).State);
        Assert.Equal(["c1", "c2"], waiting.Select(w => w.CallId));
        Assert.True(waiting[0].IsCallback);
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.CallId == "c1" && i.Action is OfferCallback);

        await silo.ReadyAsync("s1");

        var call = await silo.Call("c1").GetAsync();
        Assert.Equal((CallState.Reserved, "s1"), (call.State, call.AgentId));
        var place = Assert.IsType<PlaceCallback>((await silo.AdapterGrain().GetPendingAsync())[^1].Action);
        Assert.Equal(("s1", "+49301"), (place.AgentId, place.CallbackNumber));
    }

    [Fact]
    public async Task A_caller_who_chooses_a_callback_keeps_their_place()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");

        var call = await silo.Call("c1").CallbackChosenAsync("+4930999");
        await silo.ReadyAsync("a1");

        Assert.True(call.IsCallback);
        Assert.Equal("a1", (await silo.Call("c1").GetAsync()).AgentId);
        var place = Assert.IsType<PlaceCallback>((await silo.AdapterGrain().GetPendingAsync())[^1].Action);
        Assert.Equal("+4930999", place.CallbackNumber);
    }

    [Fact]
    public async Task A_repeat_caller_waits_a_few_seconds_for_the_agent_who_answered_them_last()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("first", caller: "+777");
        await silo.Call("first").AnsweredAsync();
        await silo.SettleAsync();
        await silo.ReadyAsync("a2");

        var again = await silo.OfferAsync("again", caller: "+777");
        Assert.True(again.RepeatCall);
        Assert.Equal(CallState.Queued, again.State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(5));
        await silo.Call("first").EndedAsync();
        await silo.SettleAsync();
        await silo.Agent("a1").FinishWrapUpAsync("first");
        await silo.SettleAsync();

        Assert.Equal("a1", (await silo.Call("again").GetAsync()).AgentId);
        Assert.Equal(AgentState.Available, (await silo.Agent("a2").GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_repeat_caller_goes_to_anyone_once_the_last_agent_stays_busy_past_the_wait()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("first", caller: "+777");
        await silo.Call("first").AnsweredAsync();
        await silo.SettleAsync();
        await silo.ReadyAsync("a2");
        await silo.OfferAsync("again", caller: "+777");

        await silo.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Equal(CallState.Queued, (await silo.Call("again").GetAsync()).State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal("a2", (await silo.Call("again").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_call_transferred_to_another_queue_keeps_its_original_arrival_time()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(30));
        await silo.OfferAsync("s-later", queue: "support");

        var agent = await silo.Agent("a1").TransferAsync(TransferTarget.ToQueue("support"));
        await silo.SettleAsync();

        Assert.Equal(AgentState.WrapUp, agent.State);
        var call = await silo.Call("c1").GetAsync();
        Assert.Equal(("support", CallState.Queued, TestCenter.Start), (call.QueueId, call.State, call.EnqueuedAt));
        Assert.Equal(["c1", "s-later"], (await silo.Queue("support").GetWaitingCallsAsync()).Select(w => w.CallId));
        Assert.Contains(await silo.AdapterGrain().GetPendingAsync(), i => i.Action == new RequeueCall("a1", "support"));
    }

    [Fact]
    public async Task A_call_transferred_to_a_named_available_agent_rings_that_agent()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();
        await silo.Agent("s1").LoginAsync(new AgentLogin("user/s1"));

        var refused = await Assert.ThrowsAsync<AgentStateException>(() => silo.Agent("a1").TransferAsync(TransferTarget.ToAgent("s1")));
        Assert.Equal(("not-available", "s1"), (refused.Code, refused.AgentId));
        Assert.Equal(CallState.Answered, (await silo.Call("c1").GetAsync()).State);
        await silo.Agent("s1").SetReadyAsync();
        await silo.SettleAsync();
        await silo.Agent("a1").TransferAsync(TransferTarget.ToAgent("s1"));
        await silo.SettleAsync();

        var call = await silo.Call("c1").GetAsync();
        Assert.Equal((CallState.Reserved, "s1"), (call.State, call.AgentId));
        Assert.Equal(AgentState.Reserved, (await silo.Agent("s1").GetStatusAsync()).State);
        Assert.Equal(AgentState.WrapUp, (await silo.Agent("a1").GetStatusAsync()).State);
    }

    [Fact]
    public async Task An_agent_whose_desk_comes_back_within_the_grace_period_loses_nothing()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");

        await silo.Agent("a1").DeskDisconnectedAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(20));
        var offered = await silo.OfferAsync("c1");
        await silo.Agent("a1").DeskConnectedAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(12));

        Assert.Equal(CallState.Queued, offered.State);
        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.Reserved, "c1"), (agent.State, agent.CallId));
    }

    [Fact]
    public async Task An_agent_whose_desk_stays_disconnected_past_the_grace_period_goes_not_ready_and_gives_back_its_offer()
    {
        await using var silo = await RoutingSilo.StartAsync(routing: o => o.DeskDisconnectGrace = TimeSpan.FromSeconds(10));
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");

        await silo.Agent("a1").DeskDisconnectedAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Equal(AgentState.Reserved, (await silo.Agent("a1").GetStatusAsync()).State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));

        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.Disconnected), (agent.State, agent.ReasonCode));
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);
        Assert.Equal(new CancelRing("a1", CancelRingReason.AgentUnavailable), (await silo.AdapterGrain().GetPendingAsync())[^1].Action);
    }

    [Fact]
    public async Task An_agent_whose_desk_drops_during_a_call_keeps_the_call_and_goes_not_ready_after_wrap_up()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.Agent("a1").DeskDisconnectedAsync();

        await silo.AdvanceAsync(TimeSpan.FromSeconds(31));
        Assert.Equal(AgentState.OnCall, (await silo.Agent("a1").GetStatusAsync()).State);
        await silo.Call("c1").EndedAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(30));

        var agent = await silo.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentState.NotReady, AgentReasonCodes.Disconnected), (agent.State, agent.ReasonCode));
    }

    [Fact]
    public async Task A_call_that_waits_past_a_relaxation_step_accepts_a_less_proficient_agent()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a3");
        await silo.OfferAsync("c1", queue: "relaxed", build: b => b.Offer = b.Offer with { Skills = [new SkillRequirement("billing", 6)] });

        await silo.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("a3", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_waiting_call_is_told_its_position_and_estimated_wait()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        await silo.OfferAsync("busy1");
        await silo.OfferAsync("busy2");
        await silo.OfferAsync("c1");

        var second = await silo.OfferAsync("c2");
        var position = await silo.Queue("billing").GetPositionAsync("c2");

        // EWT = position x recent handle time (the queue's default 180 s until measured) / agents staffed (2).
        Assert.Equal((2, TimeSpan.FromSeconds(180)), (second.QueuePosition, second.EstimatedWait));
        Assert.Equal((2, TimeSpan.FromSeconds(180)), (position!.Position, position.EstimatedWait));
        Assert.Null(await silo.Queue("billing").GetPositionAsync("busy1"));
    }

    [Fact]
    public async Task Hold_and_resume_on_the_desk_tell_the_adapter_and_count_as_hold()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.SettleAsync();

        await silo.Agent("a1").HoldAsync();
        await silo.SettleAsync();
        var held = await silo.Agent("a1").GetStatusAsync();
        await silo.Agent("a1").ResumeAsync();
        await silo.SettleAsync();

        Assert.True(held.OnHold);
        Assert.False((await silo.Agent("a1").GetStatusAsync()).OnHold);
        var pending = await silo.AdapterGrain().GetPendingAsync();
        Assert.Equal([new HoldCaller("a1"), new ResumeCaller("a1")], pending.Skip(pending.Count - 2).Select(i => i.Action));
    }

    [Fact]
    public async Task An_agent_who_accepts_on_the_desk_is_bridged_instead_of_rung()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.Agent("a1").LoginAsync(new AgentLogin("auto/a1", OfferMode.AcceptOnDesk));
        await silo.Agent("a1").SetReadyAsync();
        await silo.OfferAsync("c1");
        Assert.Empty(await silo.AdapterGrain().GetPendingAsync());

        var offer = (await silo.Agent("a1").GetStatusAsync()).Offer!;
        await silo.Agent("a1").AcceptOfferAsync(offer.OfferId);

        var bridge = Assert.IsType<BridgeToAgent>(Assert.Single(await silo.AdapterGrain().GetPendingAsync()).Action);
        Assert.Equal(("a1", "auto/a1", offer.OfferId), (bridge.AgentId, bridge.Endpoint, bridge.OfferId));
    }

    [Fact]
    public async Task A_silo_loads_the_center_file_at_start_up()
    {
        var file = FindUp("docs/center.sample.yaml");
        await using var silo = await RoutingSilo.StartAsync(routing: o => (o.Center, o.CenterFile) = (null, file));

        var center = await silo.Center.GetAsync();

        Assert.Contains("retention", center.Configuration.QueuesById.Keys);
        Assert.Equal("acme", center.Configuration.AgentsById["x-201"].VendorId);
        await silo.ReadyAsync("a-001");
        Assert.Equal("a-001", (await silo.OfferAsync("c1", queue: "retention")).AgentId);
    }

    [Fact]
    public async Task A_caller_who_has_to_wait_hears_their_position_on_arrival_and_again_every_interval()
    {
        await using var silo = await RoutingSilo.StartAsync(routing: o => o.PositionAnnouncementInterval = TimeSpan.FromSeconds(30));
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");
        Assert.Equal([new PlayPosition(1, null), new PlayPosition(2, null)], (await silo.AdapterGrain().GetPendingAsync()).Select(i => i.Action));

        await silo.Call("c1").CallerHungUpAsync();
        await silo.AdvanceAsync(TimeSpan.FromSeconds(30));

        var announced = (await silo.AdapterGrain().GetPendingAsync()).Where(i => i.CallId == "c2").Select(i => i.Action);
        Assert.Equal([new PlayPosition(2, null), new PlayPosition(1, null)], announced);
    }

    private static string FindUp(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
