using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Figures;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Figures;

/// <summary>
/// A hand-built morning in queue billing (T = 20 s, intervals of 15 min from 09:00), driven through the real
/// state machines so the figures are computed from the very records the journal would hold:
///   c1 (caller X) 09:00:00, a1 answers at :10 (wait 10 s), 100 s talk + 20 s hold, wrap-up 30 s, survey 5
///   c2 09:00:30, a2 answers at 09:01:00 (wait 30 s), talk 180 s, wrap-up 60 s, survey 3
///   c3 09:01:00, abandoned at 09:01:03 (3 s: short)
///   c4 09:01:00, abandoned at 09:01:40 (40 s: after T)
///   c5 (caller X again) 09:02:00, a1 rejects at 09:03:05, a2 answers at 09:05:05 (wait 185 s), talk 120 s, wrap-up 20 s, survey 4
/// </summary>
public sealed class FiguresAccumulatorTests
{
    private readonly List<CallEvent> _calls = [];
    private readonly List<AgentEvent> _agents = [];
    private readonly Dictionary<string, AgentStateMachine> _agentMachines = [];

    private FiguresAccumulator Morning(FiguresOptions? options = null)
    {
        var a1 = Login(Agent("a1", team: "t1", vendor: "inhouse"));
        var a2 = Login(Agent("a2", team: "t2", vendor: "acme"));

        var c1 = Offer(Call("c1", 0, caller: "X"));
        var c2 = Offer(Call("c2", 30, caller: "Y"));
        Reserve(c1, a1, 5);
        Answer(c1, a1, 10);
        Do(c1.Hold(At(50)));
        Do(a1.Hold(At(50)));
        Do(c1.Unhold(At(70)));
        Do(a1.Unhold(At(70)));
        Reserve(c2, a2, 55);
        Answer(c2, a2, 60);
        var c3 = Offer(Call("c3", 60, caller: "Z"));
        var c4 = Offer(Call("c4", 60, caller: "W"));
        Do(c3.Abandon(At(63)));
        Do(c4.Abandon(At(100)));
        var c5 = Offer(Call("c5", 120, caller: "X"));
        End(c1, a1, 130, wrapUpEnd: 160);
        Reserve(c5, a1, 180);
        Do(c5.Reject(At(185)));
        Do(a1.Reject("c5", At(185)));
        End(c2, a2, 240, wrapUpEnd: 300);
        Reserve(c5, a2, 300);
        Answer(c5, a2, 305);
        End(c5, a2, 425, wrapUpEnd: 445);
        Do(c1.Survey(5, At(500)));
        Do(c2.Survey(3, At(500)));
        Do(c5.Survey(4, At(500)));

        var figures = new FiguresAccumulator(options, _agentMachines.ToDictionary(a => a.Key, a => a.Value.Profile));
        figures.Apply(_agents);
        figures.Apply(_calls);
        return figures;
    }

    private AgentStateMachine Login(AgentProfile profile)
    {
        var agent = new AgentStateMachine(profile, T0);
        Do(agent.Login(T0));
        Do(agent.SetReady(T0));
        _agentMachines[profile.AgentId] = agent;
        return agent;
    }

    private CallStateMachine Offer(Call call)
    {
        var machine = CallStateMachine.Offer(call, out var offered);
        Do(offered);
        Do(machine.Enqueue(call.EnqueuedAt));
        return machine;
    }

    private void Reserve(CallStateMachine call, AgentStateMachine agent, double at)
    {
        Do(call.Reserve(agent.AgentId, At(at)));
        Do(agent.Reserve(call.CallId, call.Call.QueueId, At(at)));
    }

    private void Answer(CallStateMachine call, AgentStateMachine agent, double at)
    {
        Do(call.Answer(At(at)));
        Do(agent.Answer(call.CallId, At(at)));
    }

    private void End(CallStateMachine call, AgentStateMachine agent, double at, double wrapUpEnd)
    {
        Do(call.Complete(At(at)));
        Do(agent.EndCall(call.CallId, At(at), TimeSpan.FromSeconds(120)));
        Do(agent.FinishWrapUp(At(wrapUpEnd)));
    }

    private void Do(IReadOnlyList<CallEvent> events) => _calls.AddRange(events);

    private void Do(IReadOnlyList<AgentEvent> events) => _agents.AddRange(events);

    [Fact]
    public void Queue_figures_follow_the_domain_definitions()
    {
        var billing = Morning().Interval(FigureScope.Queue("billing"), T0);

        Assert.Equal((5, 3, 2), (billing.Offered, billing.Answered, billing.Abandoned));
        Assert.Equal(0.25, billing.ServiceLevel);                         // 1 within T / (3 answered + 1 abandoned after T)
        Assert.Equal(TimeSpan.FromSeconds(75), billing.AverageSpeedOfAnswer); // (10 + 30 + 185) / 3
        Assert.Equal(0.6, billing.AnswerRate);
        Assert.Equal(0.4, billing.AbandonRate);
        Assert.Equal(3, billing.Handled);
        Assert.Equal(530.0 / 3, billing.AverageHandleTime!.Value.TotalSeconds, 6); // (400 talk + 20 hold + 110 wrap-up) / 3
        Assert.Equal(0.25, billing.MissedOfferRate);                      // 1 reject / 4 offers
        Assert.Equal(0.2, billing.RepeatCallRate);                        // c5 is X again
        Assert.Equal(4.0, billing.SatisfactionMean);
        Assert.Equal(2.0 / 3, billing.SatisfactionTopBoxRate!.Value, 9);
        Assert.Null(billing.Occupancy);
    }

    [Fact]
    public void Short_abandons_can_be_excluded_from_the_abandon_rate()
    {
        var billing = Morning(new FiguresOptions { ExcludeShortAbandons = true }).Interval(FigureScope.Queue("billing"), T0);

        Assert.Equal(0.25, billing.AbandonRate); // (2 - 1) / (5 - 1)
        Assert.Equal(1, billing.ShortAbandoned);
    }

    [Fact]
    public void The_service_level_threshold_is_configurable()
    {
        var billing = Morning(new FiguresOptions { ServiceLevelThreshold = TimeSpan.FromSeconds(30) }).Interval(FigureScope.Queue("billing"), T0);

        Assert.Equal(2.0 / 4, billing.ServiceLevel); // c1, c2 within 30 s; c4 abandoned after 40 s
    }

    [Fact]
    public void Team_vendor_and_agent_figures_count_the_calls_their_agents_handled()
    {
        var figures = Morning();

        var t1 = figures.Interval(FigureScope.Team("t1"), T0);
        Assert.Equal((1, 1.0, 0.5), (t1.Answered, t1.ServiceLevel, t1.MissedOfferRate));
        Assert.Equal(TimeSpan.FromSeconds(150), t1.AverageHandleTime); // 100 + 20 + 30

        var acme = figures.Interval(FigureScope.Vendor("acme"), T0);
        Assert.Equal(2, acme.Answered);
        Assert.Equal(TimeSpan.FromSeconds(107.5), acme.AverageSpeedOfAnswer);
        Assert.Equal(3.5, acme.SatisfactionMean);
        Assert.Equal(acme.Answered, figures.Interval(FigureScope.Agent("a2"), T0).Answered);
    }

    [Fact]
    public void Occupancy_comes_from_the_agent_state_time()
    {
        // a1: available 5 + reserved 5 + on call 120 + wrap-up 30 + available 20 + reserved 5 (then available, still open).
        var a1 = Morning().Interval(FigureScope.Agent("a1"), T0);

        Assert.Equal(150.0 / 185, a1.Occupancy!.Value, 9);
    }

    [Fact]
    public void The_center_sums_every_queue()
    {
        var figures = Morning();

        Assert.Equal(figures.Interval(FigureScope.Queue("billing"), T0), figures.Interval(FigureScope.Center, T0) with { Occupancy = null });
    }

    [Fact]
    public void Agent_state_time_is_split_over_the_intervals_it_spans()
    {
        var agent = AvailableAgent(Agent("a1"), availableAtSeconds: 600);   // 09:10
        var figures = new FiguresAccumulator();
        figures.Apply(agent.Reserve("c1", "billing", At(1200)));              // 09:20: 10 min available
        figures.Apply(agent.Answer("c1", At(1200)));
        figures.Apply(agent.EndCall("c1", At(1500), TimeSpan.Zero));          // 09:25: 5 min on call

        var first = figures.Interval(FigureScope.Agent("a1"), At(0));
        var second = figures.Interval(FigureScope.Agent("a1"), At(900));

        Assert.Equal(0.0, first.Occupancy);                                  // 5 min available, nothing busy
        Assert.Equal(0.5, second.Occupancy);                                  // 5 min available, 5 min on call
    }

    [Fact]
    public void Any_past_interval_can_be_recomputed_and_ranges_add_intervals_up()
    {
        var figures = new FiguresAccumulator();
        foreach (var (id, at, wait) in new[] { ("c1", 0.0, 5.0), ("c2", 1000.0, 50.0), ("c3", 2000.0, 8.0) })
        {
            var call = CallStateMachine.Offer(Call(id, at), out var offered);
            figures.Apply(offered);
            figures.Apply(call.Enqueue(At(at)));
            figures.Apply(call.Reserve("a1", At(at + wait)));
            figures.Apply(call.Answer(At(at + wait)));
        }

        Assert.Equal(1, figures.Interval(FigureScope.Center, At(0)).Answered);
        Assert.Equal(0.0, figures.Interval(FigureScope.Center, At(1000)).ServiceLevel);
        Assert.Equal(1.0, figures.Interval(FigureScope.Center, At(2000)).ServiceLevel);
        var hour = figures.Range(FigureScope.Center, T0, At(3600));
        Assert.Equal(3, hour.Answered);
        Assert.Equal(2.0 / 3, hour.ServiceLevel!.Value, 9);
        Assert.Equal(4, figures.Intervals(FigureScope.Center, T0, At(3600)).Count);
    }

    [Fact]
    public void The_interval_length_is_configurable()
    {
        var figures = new FiguresAccumulator(new FiguresOptions { IntervalLength = TimeSpan.FromMinutes(30) });

        Assert.Equal(At(1800), figures.IntervalStart(At(3000)));
    }

    [Fact]
    public void Agents_by_state_count_each_agent_in_its_queues_team_vendor_and_the_center_and_follow_every_change()
    {
        var profiles = new Dictionary<string, AgentProfile>
        {
            ["a1"] = Agent("a1", queues: "billing,sales", team: "t1", vendor: "inhouse"),
            ["a2"] = Agent("a2", queues: "sales", team: "t2", vendor: "acme"),
            ["a3"] = Agent("a3", queues: "billing", team: "t2", vendor: "acme"),
        };
        var figures = new FiguresAccumulator(agents: profiles);
        foreach (var id in profiles.Keys)
        {
            figures.Apply(new AgentStateChanged(id, At(0), AgentAction.Login, AgentState.LoggedOut, AgentState.NotReady, TimeSpan.Zero));
            figures.Apply(new AgentStateChanged(id, At(1), AgentAction.Ready, AgentState.NotReady, AgentState.Available, TimeSpan.FromSeconds(1)));
        }

        figures.Apply(new AgentStateChanged("a2", At(5), AgentAction.NotReady, AgentState.Available, AgentState.NotReady, TimeSpan.FromSeconds(4)));

        AgentStateCounts Counts(FigureScope scope) => figures.Live(scope, At(10), TimeSpan.FromMinutes(15)).AgentsByState;
        Assert.Equal("Available: 2", Counts(FigureScope.Queue("billing")).ToString());
        Assert.Equal("NotReady: 1, Available: 1", Counts(FigureScope.Queue("sales")).ToString());
        Assert.Equal("NotReady: 1, Available: 1", Counts(FigureScope.Team("t2")).ToString());
        Assert.Equal("NotReady: 1, Available: 1", Counts(FigureScope.Vendor("acme")).ToString());
        Assert.Equal("Available: 1", Counts(FigureScope.Team("t1")).ToString());
        Assert.Equal("NotReady: 1, Available: 2", Counts(FigureScope.Center).ToString());
        Assert.Equal("NotReady: 1", Counts(FigureScope.Agent("a2")).ToString());
        Assert.Empty(Counts(FigureScope.Team("nobody")));
    }

    [Fact]
    public void The_live_view_shows_calls_waiting_longest_wait_and_agents_by_state()
    {
        var figures = new FiguresAccumulator(agents: new Dictionary<string, AgentProfile> { ["a1"] = Agent("a1", team: "t1") });
        var waiting = CallStateMachine.Offer(Call("c1", 10), out var offered);
        figures.Apply(offered);
        figures.Apply(waiting.Enqueue(At(10)));
        var other = CallStateMachine.Offer(Call("c2", 40), out offered);
        figures.Apply(offered);
        figures.Apply(other.Enqueue(At(40)));
        figures.Apply(other.Reserve("a1", At(45)));
        var agent = AvailableAgent(Agent("a1", team: "t1"));
        figures.Apply(new AgentStateChanged("a1", At(0), AgentAction.Ready, AgentState.NotReady, AgentState.Available, TimeSpan.Zero));
        figures.Apply(agent.Reserve("c2", "billing", At(45)));

        var queue = figures.Live(FigureScope.Queue("billing"), At(70), TimeSpan.FromMinutes(15));
        var team = figures.Live(FigureScope.Team("t1"), At(70), TimeSpan.FromMinutes(15));

        Assert.Equal((1, TimeSpan.FromSeconds(60)), (queue.CallsWaiting, queue.LongestWait));
        Assert.Equal(2, queue.Today.Offered);
        Assert.Equal(1, team.AgentsByState[AgentState.Reserved]);
        Assert.False(team.AgentsByState.ContainsKey(AgentState.Available));
    }

    [Fact]
    public void Ratios_without_a_denominator_are_unknown_not_zero()
    {
        var empty = new FiguresAccumulator().Interval(FigureScope.Queue("billing"), T0);

        Assert.Null(empty.ServiceLevel);
        Assert.Null(empty.AverageSpeedOfAnswer);
        Assert.Null(empty.AbandonRate);
    }
}
