using System.Collections.Immutable;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Queues;

public sealed class QueueStateTests
{
    private static QueueState Billing(Func<QueueDefinition, QueueDefinition>? configure = null)
    {
        var definition = new QueueDefinition("billing");
        return new QueueState(configure is null ? definition : configure(definition));
    }

    private static string[] Order(QueueState queue, double atSeconds = 1000) =>
        queue.OrderAt(At(atSeconds)).Select(w => w.CallId).ToArray();

    private static Reservation MatchOne(QueueState queue, AgentCandidate agent, double atSeconds)
    {
        var reservations = new List<Reservation>();
        queue.Match([agent], At(atSeconds), reservations);
        return Assert.Single(reservations);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void The_callback_count_the_oldest_call_and_each_position_follow_every_change_of_the_line(int seed, bool aging)
    {
        var queue = Billing(q => q with
        {
            MaxWait = TimeSpan.FromSeconds(400),
            MaxWaitAction = MaxWaitAction.Callback,
            Aging = aging ? new PriorityAging(TimeSpan.FromSeconds(30), 1) : null,
        });
        var random = new Random(seed);
        var taken = new List<WaitingCall>();
        for (var step = 0; step < 3_000; step++)
        {
            var waiting = queue.Waiting;
            switch (random.Next(6))
            {
                case 0 or 1:
                    // Arrivals at times out of order too (a transfer keeps its first enqueue time), several priorities.
                    queue.Enqueue(Call($"c{step}", step - random.Next(100), priority: random.Next(4)));
                    break;
                case 2 when waiting.Count > 0:
                    var call = waiting[random.Next(waiting.Count)];
                    queue.Remove(call.CallId, out var entry);
                    taken.Add(entry!);
                    break;
                case 3 when taken.Count > 0:
                    var back = taken[random.Next(taken.Count)];
                    taken.Remove(back);
                    queue.Return(back, declinedBy: null);
                    break;
                case 4 when waiting.Count > 0:
                    queue.ScheduleCallback(waiting[random.Next(waiting.Count)].CallId);
                    break;
                case 5:
                    queue.ExpireWaits(At(step), []);
                    break;
            }

            Assert.Equal(queue.Waiting.Count(w => w.IsCallback), queue.CallbackCount);
            Assert.Equal(queue.Waiting.Count == 0 ? null : queue.Waiting.Min(w => w.EnqueuedAt), queue.OldestEnqueuedAt());
            if (queue.Count > 0 && step % 10 == 0)
            {
                // A position is the place in the order at that moment (with aging, an order that moves with time).
                var order = queue.OrderAt(At(step)).Select(w => w.CallId).ToList();
                var asked = order[random.Next(order.Count)];
                Assert.Equal(order.IndexOf(asked) + 1, queue.PositionOf(asked, At(step)));
            }
        }

        Assert.True(queue.CallbackCount > 0 && queue.Waiting.Select(w => w.BasePriority).Distinct().Count() > 1, "callbacks and several priorities were exercised");
    }

    [Fact]
    public void Calls_are_ordered_by_priority_then_by_enqueue_time()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0, priority: 0));
        queue.Enqueue(Call("c2", 1, priority: 5));
        queue.Enqueue(Call("c3", 2, priority: 0));
        queue.Enqueue(Call("c4", 3, priority: 5));

        Assert.Equal(["c2", "c4", "c1", "c3"], Order(queue));
    }

    [Fact]
    public void A_rejected_call_goes_back_to_the_head_of_its_queue()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1));
        var reservation = MatchOne(queue, Candidate(Agent("a1")), 2);
        Assert.Equal("c1", reservation.CallId);
        queue.Enqueue(Call("c3", 3));

        queue.Return(reservation.Entry, declinedBy: "a1");

        Assert.Equal(["c1", "c2", "c3"], Order(queue));
        Assert.Equal(1, queue.PositionOf("c1", At(4)));
    }

    [Fact]
    public void A_returned_call_is_not_offered_again_to_the_agent_who_declined_it()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1));
        var first = MatchOne(queue, Candidate(Agent("a1")), 2);
        queue.Return(first.Entry, declinedBy: "a1");

        var second = MatchOne(queue, Candidate(Agent("a1")), 3);

        Assert.Equal("c2", second.CallId);
        Assert.Equal("c1", MatchOne(queue, Candidate(Agent("a2")), 4).CallId);
    }

    [Fact]
    public void A_customer_tier_raises_the_priority_of_its_call()
    {
        var queue = Billing();
        queue.Enqueue(Call("standard", 0));
        queue.Enqueue(Call("vip", 10, tier: CustomerTier.Vip));

        Assert.Equal(["vip", "standard"], Order(queue));
        Assert.Equal(3, queue.Find("vip")!.BasePriority);
    }

    [Fact]
    public void Priority_aging_lets_an_old_call_overtake_a_newer_higher_priority_call()
    {
        var queue = Billing(q => q with { Aging = new PriorityAging(TimeSpan.FromSeconds(10), 5) });
        queue.Enqueue(Call("old", 0, priority: 0));
        queue.Enqueue(Call("urgent", 60, priority: 3));

        Assert.Equal(["old", "urgent"], Order(queue, 61));   // old: 0 + 5 (capped); urgent: 3 + 0
        Assert.Equal(["urgent", "old"], Order(queue, 100));  // urgent: 3 + 4 = 7 passes old's capped 5

        var plain = Billing();
        plain.Enqueue(Call("old", 0, priority: 0));
        plain.Enqueue(Call("urgent", 60, priority: 3));
        Assert.Equal(["urgent", "old"], Order(plain, 61));
    }

    [Fact]
    public void Position_counts_from_one_and_is_zero_for_an_unknown_call()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1));

        Assert.Equal(2, queue.PositionOf("c2", At(5)));
        Assert.Equal(0, queue.PositionOf("nope", At(5)));
    }

    [Fact]
    public void Estimated_wait_is_position_times_recent_handle_time_over_agents_staffed()
    {
        var queue = Billing(q => q with { DefaultHandleTime = TimeSpan.FromSeconds(300) });
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1));
        queue.Enqueue(Call("c3", 2));

        Assert.Equal(TimeSpan.FromSeconds(300), queue.EstimatedWait("c3", At(5), agentsStaffed: 3));
        Assert.Null(queue.EstimatedWait("c3", At(5), agentsStaffed: 0));

        queue.RecordHandleTime(TimeSpan.FromSeconds(120));
        Assert.Equal(TimeSpan.FromSeconds(120), queue.EstimatedWait("c3", At(5), 3));
        queue.RecordHandleTime(TimeSpan.FromSeconds(220));
        Assert.Equal(TimeSpan.FromSeconds(130), queue.RecentHandleTime);
    }

    [Fact]
    public void A_callback_keeps_its_place_in_line()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1));
        queue.Enqueue(Call("c3", 2));

        Assert.True(queue.ScheduleCallback("c2"));

        Assert.Equal(["c1", "c2", "c3"], Order(queue));
        Assert.True(queue.Find("c2")!.IsCallback);
    }

    [Fact]
    public void A_duplicate_or_misdirected_call_is_refused()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));

        Assert.Equal("duplicate-call", Assert.Throws<RoutingException>(() => queue.Enqueue(Call("c1", 1))).Code);
        Assert.Equal("wrong-queue", Assert.Throws<RoutingException>(() => queue.Enqueue(Call("c2", 1, queue: "sales"))).Code);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Longest_wait_is_the_age_of_the_oldest_waiting_call()
    {
        var queue = Billing();
        Assert.Equal(TimeSpan.Zero, queue.LongestWait(At(10)));
        queue.Enqueue(Call("c1", 5, priority: 0));
        queue.Enqueue(Call("c2", 8, priority: 9));

        Assert.Equal(TimeSpan.FromSeconds(15), queue.LongestWait(At(20)));
        queue.Remove("c1", out _);
        Assert.Equal(TimeSpan.FromSeconds(12), queue.LongestWait(At(20)));
    }

    [Theory]
    [InlineData(MaxWaitAction.Overflow)]
    [InlineData(MaxWaitAction.Voicemail)]
    public void Calls_past_max_wait_leave_the_queue_for_overflow_or_voicemail(MaxWaitAction action)
    {
        var queue = Billing(q => q with { MaxWait = TimeSpan.FromSeconds(60), MaxWaitAction = action, OverflowQueueId = "spill" });
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 30));
        var expired = new List<WaitingCall>();

        Assert.Equal(0, queue.ExpireWaits(At(59), expired));
        Assert.Equal(1, queue.ExpireWaits(At(60), expired));

        Assert.Equal("c1", Assert.Single(expired).CallId);
        Assert.Equal(["c2"], Order(queue, 60));
    }

    [Fact]
    public void Calls_past_max_wait_with_callback_keep_their_place_as_callbacks_and_expire_once()
    {
        var queue = Billing(q => q with { MaxWait = TimeSpan.FromSeconds(60), MaxWaitAction = MaxWaitAction.Callback });
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 30));
        var expired = new List<WaitingCall>();

        queue.ExpireWaits(At(61), expired);
        queue.ExpireWaits(At(120), expired);

        Assert.Equal(["c1", "c2"], expired.Select(e => e.CallId).ToArray());
        Assert.Equal(["c1", "c2"], Order(queue, 120));
        Assert.True(queue.Find("c1")!.IsCallback);
    }

    [Fact]
    public void A_call_whose_skills_no_agent_has_does_not_block_the_calls_behind_it()
    {
        var queue = Billing();
        queue.Enqueue(Call("spanish", 0, language: "es"));
        queue.Enqueue(Call("plain", 1));

        Assert.Equal("plain", MatchOne(queue, Candidate(Agent("a1", skills: "en")), 2).CallId);
        Assert.Equal(["spanish"], Order(queue));
    }

    [Fact]
    public void Matching_several_calls_gives_each_agent_at_most_one_call()
    {
        var queue = Billing();
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Call($"c{i}", i));
        }

        var reservations = new List<Reservation>();
        queue.Match([Candidate(Agent("a1"), 0), Candidate(Agent("a2"), 1), Candidate(Agent("a3"), 2)], At(10), reservations);

        Assert.Equal(["c0", "c1", "c2"], reservations.Select(r => r.CallId).ToArray());
        Assert.Equal(["a1", "a2", "a3"], reservations.Select(r => r.AgentId).ToArray());
        Assert.Equal(["c3", "c4"], Order(queue, 10));
    }

    [Fact]
    public void A_vip_call_goes_to_the_in_house_agent_when_vip_is_in_house_first_although_the_vendor_policy_prefers_the_outsourcer()
    {
        var queue = Billing(q => q with { VendorPolicy = new VendorPolicy([], ["acme"], []), InHouseFirstTiers = [CustomerTier.Vip] });
        var outsourced = Candidate(Agent("a1", vendor: "acme"));
        var own = Candidate(Agent("a2", vendor: "inhouse") with { InHouse = true }, 5);

        queue.Enqueue(Call("standard", 0));
        Assert.Equal("a1", MatchOne(queue, outsourced, 1).AgentId);

        queue.Enqueue(Call("vip", 2, tier: CustomerTier.Vip));
        var reservations = new List<Reservation>();
        queue.Match([outsourced, own], At(3), reservations);
        Assert.Equal(("vip", "a2"), (Assert.Single(reservations).CallId, reservations[0].AgentId));
    }

    [Fact]
    public void A_repeat_caller_waits_for_its_last_agent_then_goes_to_anyone()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0), preferredAgentId: "a9");
        var other = Candidate(Agent("a1"));
        var reservations = new List<Reservation>();

        queue.Match([other], At(9), reservations);
        Assert.Empty(reservations);

        queue.Match([other, Candidate(Agent("a9"), 5)], At(9.5), reservations);
        Assert.Equal("a9", Assert.Single(reservations).AgentId);

        queue.Enqueue(Call("c2", 20), preferredAgentId: "a9");
        Assert.Equal("a1", MatchOne(queue, other, 30).AgentId);
    }

    [Fact]
    public void A_repeat_caller_preference_wait_is_configurable()
    {
        var queue = Billing(q => q with { RepeatCallerWait = TimeSpan.FromSeconds(3) });
        queue.Enqueue(Call("c1", 0), preferredAgentId: "a9");

        Assert.Equal("a1", MatchOne(queue, Candidate(Agent("a1")), 3).AgentId);
    }

    [Fact]
    public void A_queue_restored_from_its_snapshot_keeps_every_place()
    {
        var queue = Billing();
        queue.Enqueue(Call("c1", 0));
        queue.Enqueue(Call("c2", 1, priority: 3));
        queue.Enqueue(Call("c3", 2), preferredAgentId: "a9");
        var first = MatchOne(queue, Candidate(Agent("a1")), 3);
        queue.Return(first.Entry, "a1");
        queue.ScheduleCallback("c1");

        var restored = Billing();
        restored.Restore(queue.Snapshot());
        restored.Enqueue(Call("c4", 4));

        Assert.Equal(["c2", "c1", "c3", "c4"], Order(restored));
        Assert.Equal(queue.Find("c2"), restored.Find("c2"));
        Assert.True(restored.Find("c1")!.IsCallback);
        Assert.Equal("a9", restored.Find("c3")!.PreferredAgentId);
        Assert.Equal("bad-snapshot", Assert.Throws<RoutingException>(() => restored.Restore(queue.Snapshot())).Code);
    }
}
