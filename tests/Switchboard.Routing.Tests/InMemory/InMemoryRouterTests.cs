using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.InMemory;
using Switchboard.Routing.Queues;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.InMemory;

public sealed class InMemoryRouterTests
{
    private static InMemoryRouter Router(QueueDefinition[] queues, params AgentProfile[] agents)
    {
        var router = new InMemoryRouter(queues, agents, T0);
        foreach (var agent in agents)
        {
            router.Login(agent.AgentId, T0);
        }

        return router;
    }

    private static readonly QueueDefinition[] BillingAndSales = [new("billing"), new("sales")];

    [Fact]
    public void An_offered_call_is_reserved_to_an_available_agent_at_once()
    {
        var router = Router(BillingAndSales, Agent("a1"));
        router.SetReady("a1", At(0));

        router.Offer(Call("c1", 1), At(1));

        var reservation = Assert.Single(router.LastReservations);
        Assert.Equal(("c1", "a1"), (reservation.CallId, reservation.AgentId));
        Assert.Equal(AgentState.Reserved, router.Agent("a1").State);
        Assert.Equal(CallState.Reserved, router.Call("c1").State);
    }

    [Fact]
    public void A_call_waits_until_an_agent_goes_ready()
    {
        var router = Router(BillingAndSales, Agent("a1"));
        router.Offer(Call("c1", 1), At(1));
        Assert.Empty(router.LastReservations);

        router.SetReady("a1", At(5));

        Assert.Equal("c1", Assert.Single(router.LastReservations).CallId);
    }

    [Fact]
    public void An_agent_serving_two_queues_is_never_offered_two_calls()
    {
        var router = Router(BillingAndSales, Agent("a1", queues: "billing,sales"));
        router.Offer(Call("c1", 1, queue: "billing"), At(1));
        router.Offer(Call("c2", 1, queue: "sales"), At(1));

        router.SetReady("a1", At(2));

        Assert.Single(router.LastReservations);
        router.Tick(At(3));
        Assert.Empty(router.LastReservations);
        Assert.Equal(1, router.Queue("billing").Count + router.Queue("sales").Count);
    }

    [Fact]
    public void An_agent_free_for_two_queues_takes_the_queue_it_gives_higher_priority()
    {
        var router = Router(BillingAndSales, Agent("a1", queues: "billing:1,sales:5"));
        router.Offer(Call("old-billing", 0, queue: "billing"), At(1));
        router.Offer(Call("new-sales", 10, queue: "sales"), At(10));

        router.SetReady("a1", At(11));

        Assert.Equal("new-sales", Assert.Single(router.LastReservations).CallId);
    }

    [Fact]
    public void A_rejected_call_goes_to_the_next_agent_and_the_rejecting_agent_stays_available()
    {
        var router = Router(BillingAndSales, Agent("a1"), Agent("a2"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 1), At(1));
        router.SetReady("a2", At(2));

        router.Reject("c1", At(3));

        Assert.Equal(("c1", "a2"), (router.LastReservations[0].CallId, router.LastReservations[0].AgentId));
        Assert.Equal(AgentState.Available, router.Agent("a1").State);
    }

    [Fact]
    public void An_offer_that_rings_out_sets_the_agent_not_ready_and_requeues_the_call_at_the_head()
    {
        var router = Router([new QueueDefinition("billing") { OfferTimeout = TimeSpan.FromSeconds(10) }], Agent("a1"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 1), At(1));
        router.Offer(Call("c2", 2), At(2));

        router.Tick(At(11));

        Assert.Equal(AgentState.NotReady, router.Agent("a1").State);
        Assert.Equal(AgentReasonCodes.MissedOffer, router.Agent("a1").ReasonCode);
        Assert.Equal(1, router.Queue("billing").PositionOf("c1", At(11)));
    }

    [Fact]
    public void A_caller_hanging_up_while_ringing_frees_the_agent_for_the_next_call()
    {
        var router = Router(BillingAndSales, Agent("a1"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 1), At(1));
        router.Offer(Call("c2", 2), At(2));

        router.Abandon("c1", At(4));

        Assert.Equal(("c2", "a1"), (router.LastReservations[0].CallId, router.LastReservations[0].AgentId));
        Assert.Equal(CallState.Abandoned, router.Call("c1").State);
    }

    [Fact]
    public void After_wrap_up_the_agent_takes_the_next_waiting_call_and_the_queue_learns_the_handle_time()
    {
        var router = Router(BillingAndSales, Agent("a1"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 0), At(0));
        router.Answer("c1", At(5));
        router.Offer(Call("c2", 10), At(10));
        router.Complete("c1", At(65));
        Assert.Equal(AgentState.WrapUp, router.Agent("a1").State);

        router.FinishWrapUp("a1", At(85));

        Assert.Equal("c2", Assert.Single(router.LastReservations).CallId);
        Assert.Equal(TimeSpan.FromSeconds(80), router.Queue("billing").RecentHandleTime);
    }

    [Fact]
    public void A_call_past_max_wait_overflows_to_its_overflow_queue_keeping_its_enqueue_time()
    {
        QueueDefinition[] queues =
        [
            new("billing") { MaxWait = TimeSpan.FromSeconds(60), MaxWaitAction = MaxWaitAction.Overflow, OverflowQueueId = "general" },
            new("general"),
        ];
        var router = Router(queues, Agent("a1", queues: "general"));
        router.Offer(Call("c1", 0), At(0));

        router.Tick(At(60));
        Assert.Equal(1, router.Queue("general").Count);
        router.SetReady("a1", At(61));

        Assert.Equal(("c1", "general"), (router.LastReservations[0].CallId, router.LastReservations[0].QueueId));
        Assert.Equal(At(0), router.Call("c1").Call.EnqueuedAt);
    }

    [Fact]
    public void Relaxation_lets_a_waiting_call_reach_an_agent_of_an_overflow_queue_on_the_next_tick()
    {
        QueueDefinition[] queues =
        [
            new("billing") { Relaxation = [new RelaxationStep(TimeSpan.FromSeconds(30), 0, [], ["general"])] },
            new("general"),
        ];
        var router = Router(queues, Agent("helper", queues: "general"));
        router.SetReady("helper", At(0));
        router.Offer(Call("c1", 0), At(0));
        Assert.Empty(router.LastReservations);

        router.Tick(At(29));
        Assert.Empty(router.LastReservations);
        router.Tick(At(30));

        Assert.Equal(("c1", "helper"), (router.LastReservations[0].CallId, router.LastReservations[0].AgentId));
    }

    [Fact]
    public void A_repeat_caller_is_offered_first_to_the_agent_who_handled_it_last()
    {
        var router = Router(BillingAndSales, Agent("a1"), Agent("a2"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 0, caller: "+33600"), At(0));
        router.Answer("c1", At(1));
        router.Complete("c1", At(60));
        router.SetReady("a2", At(61));

        router.Offer(Call("c2", 100, caller: "+33600"), At(100));
        Assert.Empty(router.LastReservations);
        router.FinishWrapUp("a1", At(105));

        Assert.Equal(("c2", "a1"), (router.LastReservations[0].CallId, router.LastReservations[0].AgentId));
    }

    [Fact]
    public void Wrap_up_is_ended_by_the_queue_maximum_on_tick()
    {
        var router = Router([new QueueDefinition("billing") { MaxWrapUp = TimeSpan.FromSeconds(30) }], Agent("a1"));
        router.SetReady("a1", At(0));
        router.Offer(Call("c1", 0), At(0));
        router.Answer("c1", At(1));
        router.Complete("c1", At(10));

        router.Tick(At(39));
        Assert.Equal(AgentState.WrapUp, router.Agent("a1").State);
        router.Tick(At(40));

        Assert.Equal(AgentState.Available, router.Agent("a1").State);
    }

    [Fact]
    public void Operations_on_unknown_or_unoffered_calls_are_refused_without_change()
    {
        var router = Router(BillingAndSales, Agent("a1"));
        router.Offer(Call("c1", 0), At(0));

        Assert.Equal("unknown-call", Assert.Throws<RoutingException>(() => router.Answer("nope", At(1))).Code);
        Assert.Equal("no-offer", Assert.Throws<CallStateException>(() => router.Answer("c1", At(1))).Code);
        Assert.Equal("duplicate-call", Assert.Throws<RoutingException>(() => router.Offer(Call("c1", 0), At(1))).Code);
        Assert.Equal("unknown-queue", Assert.Throws<RoutingException>(() => router.Offer(Call("c9", 0, queue: "vip"), At(1))).Code);
        Assert.Equal(CallState.Queued, router.Call("c1").State);
        Assert.Equal(1, router.Queue("billing").Count);
    }
}
