using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Figures;
using Switchboard.Routing.InMemory;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.InMemory;

/// <summary>
/// Seeded random storms over the InMemoryRouter and the state machines: thousands of agents and calls,
/// random answers, rejects, rings-out, hang-ups, completions, not-ready, logouts. After every operation the
/// invariants are checked: no call lost, no agent reserved for two calls, FIFO within a priority, and the
/// queue's strategy chose the agent it promises.
/// </summary>
public sealed class InMemoryRouterStormTests
{
    private static readonly string[] Skills = ["s0", "s1", "s2", "s3", "s4"];
    private static readonly string[] Languages = ["en", "fr", "es"];
    private static readonly string[] Vendors = ["inhouse", "acme", "globex"];
    private static readonly StrategyKind[] Checked = [StrategyKind.LongestIdle, StrategyKind.MostSkilled, StrategyKind.LeastOccupied];

    [Theory]
    [InlineData(1, 1000, 10, 1500, 4.0)]
    [InlineData(2, 300, 5, 1800, 1.5)]
    [InlineData(3, 60, 4, 1500, 0.6)]
    public void A_random_storm_loses_no_call_never_double_reserves_and_keeps_order_strategy_and_journal(
        int seed, int agentCount, int queueCount, int seconds, double callsPerSecond)
    {
        var random = new Random(seed);
        var queues = Enumerable.Range(0, queueCount).Select(i => Queue(i, queueCount, random)).ToArray();
        var profiles = Enumerable.Range(0, agentCount).Select(i => Profile(i, queueCount, random)).ToArray();
        var router = new InMemoryRouter(queues, profiles, T0, seed, recordEvents: true);
        var storm = new Storm(router, queues);
        var active = new List<string>();
        var offered = 0;

        for (var second = 0; second < seconds; second++)
        {
            var now = At(second);
            storm.Begin();
            router.Tick(now);
            storm.CheckReservations(now);
            if (second % 60 == 0)
            {
                storm.CheckNoAvailableAgentFitsAWaitingCall(now);
            }

            var arrivals = Poisson(random, second < seconds - 300 ? callsPerSecond : 0);
            for (var k = 0; k < arrivals; k++)
            {
                var call = RandomCall($"c{offered++}", queueCount, now, random);
                storm.Begin();
                router.Offer(call, now);
                active.Add(call.CallId);
                storm.CheckReservations(now);
            }

            for (var k = 0; k < Math.Max(1, agentCount / 8); k++)
            {
                storm.Begin();
                Act(router, profiles[random.Next(profiles.Length)].AgentId, now, random);
                storm.CheckReservations(now);
            }

            for (var k = 0; active.Count > 0 && k < Math.Max(1, active.Count / 100); k++)
            {
                var i = random.Next(active.Count);
                var call = router.Call(active[i]);
                if (call.IsFinished)
                {
                    active[i] = active[^1];
                    active.RemoveAt(active.Count - 1);
                }
                else if (call.State is CallState.Queued or CallState.Reserved or CallState.Ringing or CallState.CallbackScheduled && random.NextDouble() < 0.2)
                {
                    storm.Begin();
                    router.Abandon(call.CallId, now);
                    storm.CheckReservations(now);
                }
            }

            storm.CheckNoCallLostAndNoAgentDoubleReserved();
        }

        Assert.True(storm.Reservations > offered / 2, $"only {storm.Reservations} reservations for {offered} calls");
        Assert.True(storm.StrategyChecks > 0);

        // The storm went through every path it claims to.
        var log = router.CallLog;
        var paths = new (string Name, bool Seen)[]
        {
            ("reject", log.Any(e => e is CallRejected)),
            ("ring-out", log.Any(e => e is CallNoAnswer)),
            ("abandon while ringing", log.Any(e => e is CallAbandoned { AgentId: not null })),
            ("abandon while waiting", log.Any(e => e is CallAbandoned { AgentId: null })),
            ("overflow", log.Any(e => e is CallOverflowed)),
            ("callback", log.Any(e => e is CallTimedOut { Action: MaxWaitAction.Callback })),
            ("voicemail", log.Any(e => e is CallTimedOut { Action: MaxWaitAction.Voicemail })),
            ("completion", log.Any(e => e is CallCompleted)),
            ("logout", router.AgentLog.Any(e => e is AgentStateChanged { Action: AgentAction.Logout })),
            ("wrap-up timeout", router.AgentLog.Any(e => e is AgentStateChanged { Action: AgentAction.WrapUpTimeout })),
        };
        Assert.Empty(paths.Where(p => !p.Seen).Select(p => p.Name));

        // Every call and agent rebuilt from the journal is the live one.
        var end = At(seconds);
        foreach (var journal in router.CallLog.GroupBy(e => e.CallId))
        {
            var live = router.Call(journal.Key);
            var rebuilt = CallStateMachine.Rebuild(journal);
            Assert.Equal((live.State, live.AgentId, live.Call, live.StateSince), (rebuilt.State, rebuilt.AgentId, rebuilt.Call, rebuilt.StateSince));
        }

        var agentJournals = router.AgentLog.ToLookup(e => e.AgentId);
        foreach (var live in router.Agents)
        {
            var rebuilt = AgentStateMachine.Rebuild(live.Profile, T0, agentJournals[live.AgentId]);
            Assert.Equal(
                (live.State, live.StateSince, live.CallId, live.ReasonCode, live.AvailableSince, live.OfferExpiresAt, live.WrapUpDeadline, live.Occupancy(end)),
                (rebuilt.State, rebuilt.StateSince, rebuilt.CallId, rebuilt.ReasonCode, rebuilt.AvailableSince, rebuilt.OfferExpiresAt, rebuilt.WrapUpDeadline, rebuilt.Occupancy(end)));
        }

        // The journal the router produced is complete: figures rebuilt from it count every call.
        var figures = new FiguresAccumulator(new FiguresOptions { IntervalLength = TimeSpan.FromDays(1) });
        figures.Apply(router.CallLog);
        figures.Apply(router.AgentLog);
        var day = figures.Interval(FigureScope.Center, T0);
        Assert.Equal(offered, day.Offered);
        Assert.Equal(router.Calls.Count(c => c.AnsweredAt is not null), day.Answered);
        Assert.Equal(router.Calls.Count(c => c.State == CallState.Abandoned), day.Abandoned);
    }

    private static void Act(InMemoryRouter router, string agentId, DateTimeOffset now, Random random)
    {
        var agent = router.Agent(agentId);
        var p = random.NextDouble();
        switch (agent.State)
        {
            case AgentState.LoggedOut when p < 0.3:
                router.Login(agentId, now);
                break;
            case AgentState.NotReady when p < 0.4:
                router.SetReady(agentId, now);
                break;
            case AgentState.NotReady when p < 0.41:
                router.Logout(agentId, now);
                break;
            case AgentState.Available when p < 0.01:
                router.SetNotReady(agentId, "break", now);
                break;
            case AgentState.Available when p < 0.012:
                router.Logout(agentId, now);
                break;
            case AgentState.Reserved when p < 0.6:
                router.Answer(agent.CallId!, now);
                break;
            case AgentState.Reserved when p < 0.7:
                router.Reject(agent.CallId!, now);
                break;
            case AgentState.Reserved when p < 0.72:
                router.NoAnswer(agent.CallId!, now);
                break;
            case AgentState.OnCall when p < 0.08:
                router.Complete(agent.CallId!, now);
                break;
            case AgentState.WrapUp when p < 0.4:
                router.FinishWrapUp(agentId, now, p < 0.02 ? "coaching" : null);
                break;
        }
    }

    private static QueueDefinition Queue(int i, int queueCount, Random random)
    {
        var next = $"q{(i + 1) % queueCount}";
        var definition = new QueueDefinition($"q{i}")
        {
            Strategy = Checked[i % Checked.Length],
            OfferTimeout = TimeSpan.FromSeconds(8 + random.Next(10)),
            MaxWrapUp = TimeSpan.FromSeconds(20 + random.Next(40)),
            RepeatCallerWait = TimeSpan.FromSeconds(10),
        };

        definition = (i % 4) switch
        {
            0 => definition with
            {
                VendorPolicy = new VendorPolicy([], ["inhouse", "acme"], ["globex"]),
                Relaxation =
                [
                    new RelaxationStep(TimeSpan.FromSeconds(20), 3, [], []),
                    new RelaxationStep(TimeSpan.FromSeconds(40), 0, ["globex"], []),
                    new RelaxationStep(TimeSpan.FromSeconds(60), 0, [], queueCount > 1 ? [next] : []),
                ],
            },
            1 => definition with { MaxWait = TimeSpan.FromSeconds(45), MaxWaitAction = MaxWaitAction.Overflow, OverflowQueueId = queueCount > 1 ? next : null },
            2 => definition with { MaxWait = TimeSpan.FromSeconds(60), MaxWaitAction = MaxWaitAction.Callback, Aging = new PriorityAging(TimeSpan.FromSeconds(30), 3) },
            _ => definition with { MaxWait = TimeSpan.FromSeconds(90), MaxWaitAction = MaxWaitAction.Voicemail },
        };

        return definition;
    }

    private static AgentProfile Profile(int i, int queueCount, Random random)
    {
        var skills = new Dictionary<string, int>();
        foreach (var skill in Skills)
        {
            if (random.NextDouble() < 0.6)
            {
                skills[skill] = 1 + random.Next(10);
            }
        }

        skills["en"] = 1 + random.Next(10);
        if (random.NextDouble() < 0.3)
        {
            skills[Languages[1 + random.Next(2)]] = 1 + random.Next(10);
        }

        var queues = new Dictionary<string, int>();
        var served = 1 + random.Next(Math.Min(3, queueCount));
        while (queues.Count < served)
        {
            queues[$"q{random.Next(queueCount)}"] = 1 + random.Next(3);
        }

        return new AgentProfile($"a{i:D5}", $"t{i % 50}", Vendors[random.Next(Vendors.Length)], skills, queues);
    }

    private static Call RandomCall(string id, int queueCount, DateTimeOffset now, Random random)
    {
        var required = random.NextDouble() < 0.7
            ? [new SkillRequirement(Skills[random.Next(Skills.Length)], 1 + random.Next(8))]
            : ImmutableArray<SkillRequirement>.Empty;
        var language = random.NextDouble() < 0.8 ? "en" : Languages[random.Next(Languages.Length)];
        var caller = $"+33{random.Next(2000)}";
        return new Call(id, $"q{random.Next(queueCount)}", caller, (CustomerTier)random.Next(4), required, language, random.Next(3), now);
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    /// <summary>The invariant checks, with their independent view of what a strategy promises.</summary>
    private sealed class Storm(InMemoryRouter router, QueueDefinition[] queues)
    {
        private readonly Dictionary<string, int> _queuedAt = [];
        private readonly Dictionary<string, int> _reservedAt = [];
        private readonly HashSet<string> _finished = [];
        private int _mark;

        public int Reservations { get; private set; }

        /// <summary>Marks the start of an operation in the router's journal.</summary>
        public void Begin() => _mark = router.CallLog.Count;

        public int StrategyChecks { get; private set; }

        public void CheckReservations(DateTimeOffset now)
        {
            var made = router.LastReservations;
            // Where in this operation each call was (re)queued and reserved: a call put back in line after
            // a reservation was decided (a later ring-out in the same tick) was not there to be chosen.
            _queuedAt.Clear();
            _reservedAt.Clear();
            for (var e = _mark; e < router.CallLog.Count; e++)
            {
                if (router.CallLog[e] is CallQueued q)
                {
                    _queuedAt[q.CallId] = e;
                }
                else if (router.CallLog[e] is CallReserved r)
                {
                    _reservedAt[r.CallId] = e;
                }
            }

            // An operation that did nothing leaves the previous one's reservations in LastReservations.
            if (_reservedAt.Count == 0)
            {
                return;
            }

            Assert.Equal(_reservedAt.Count, made.Count);
            for (var i = 0; i < made.Count; i++)
            {
                Reservations++;
                var reservation = made[i];
                var queue = router.Queue(reservation.QueueId);
                var chosen = router.Agent(reservation.AgentId);
                Assert.Equal(AgentState.Reserved, chosen.State);
                Assert.Equal(reservation.CallId, chosen.CallId);
                Assert.True(Eligibility.IsEligible(queue.Definition, reservation.Entry, chosen.Profile, now, out _),
                    $"{reservation.AgentId} is not eligible for {reservation.CallId}");
                CheckFifo(queue, reservation, chosen, now, _reservedAt[reservation.CallId], _queuedAt);
                CheckStrategy(queue, reservation, chosen, made, i, now);
            }
        }

        /// <summary>No call still waiting ahead of the reserved one could have gone to the same agent.</summary>
        private static void CheckFifo(QueueState queue, Reservation reservation, AgentStateMachine chosen, DateTimeOffset now, int decidedAt, Dictionary<string, int> queuedAt)
        {
            var priority = reservation.Entry.PriorityAt(now, queue.Definition.Aging);
            foreach (var waiting in queue.Waiting)
            {
                if (queuedAt.TryGetValue(waiting.CallId, out var at) && at > decidedAt)
                {
                    continue;
                }

                var p = waiting.PriorityAt(now, queue.Definition.Aging);
                var ahead = p > priority || (p == priority && waiting.EnqueuedAt < reservation.Entry.EnqueuedAt);
                Assert.False(ahead && Eligibility.IsEligible(queue.Definition, waiting, chosen.Profile, now, out _),
                    $"{chosen.AgentId} got {reservation.CallId} while {waiting.CallId} (priority {p}, enqueued {waiting.EnqueuedAt:T}) waited ahead of it (priority {priority}, enqueued {reservation.Entry.EnqueuedAt:T}) (agent available since {chosen.AvailableSince:T}, now {now:T})");
            }
        }

        /// <summary>
        /// Among the agents available when the choice was made (available now, or reserved later in the same
        /// operation; agents that became available this very second are left out as they may have come after
        /// the choice), none in the best tier beats the chosen one by the strategy's own measure.
        /// </summary>
        private void CheckStrategy(QueueState queue, Reservation reservation, AgentStateMachine chosen, IReadOnlyList<Reservation> made, int index, DateTimeOffset now)
        {
            var entry = reservation.Entry;
            if (entry.PreferredAgentId == chosen.AgentId || chosen.AvailableSince == now)
            {
                return;
            }

            Eligibility.IsEligible(queue.Definition, entry, chosen.Profile, now, out var chosenRank);
            var chosenPriority = chosen.Profile.PriorityFor(queue.QueueId);
            var chosenKey = Key(queue.Definition.Strategy, chosen, entry, now);
            foreach (var other in Others(made, index))
            {
                if (other.AvailableSince == now || !Eligibility.IsEligible(queue.Definition, entry, other.Profile, now, out var rank))
                {
                    continue;
                }

                var priority = other.Profile.PriorityFor(queue.QueueId);
                Assert.False(rank < chosenRank || (rank == chosenRank && priority > chosenPriority),
                    $"{other.AgentId} (vendor rank {rank}, priority {priority}) outranks {chosen.AgentId} for {entry.CallId}");
                if (rank == chosenRank && priority == chosenPriority)
                {
                    var key = Key(queue.Definition.Strategy, other, entry, now);
                    Assert.True(key.CompareTo(chosenKey) > 0,
                        $"{queue.Definition.Strategy} chose {chosen.AgentId} {chosenKey} over {other.AgentId} {key} for {entry.CallId}");
                }
            }

            StrategyChecks++;
        }

        private IEnumerable<AgentStateMachine> Others(IReadOnlyList<Reservation> made, int index)
        {
            foreach (var agent in router.Agents)
            {
                if (agent.State == AgentState.Available)
                {
                    yield return agent;
                }
            }

            for (var j = index + 1; j < made.Count; j++)
            {
                yield return router.Agent(made[j].AgentId);
            }
        }

        /// <summary>Lower is better: the order each strategy promises, written independently of its code.</summary>
        private static (double, long, string) Key(StrategyKind strategy, AgentStateMachine agent, WaitingCall entry, DateTimeOffset now)
        {
            var idle = agent.AvailableSince.UtcTicks;
            return strategy switch
            {
                StrategyKind.MostSkilled => (-Score(agent.Profile, entry.Call), idle, agent.AgentId),
                StrategyKind.LeastOccupied => (agent.Occupancy(now), idle, agent.AgentId),
                _ => (0, idle, agent.AgentId),
            };
        }

        private static double Score(AgentProfile agent, Call call) =>
            call.RequiredSkills.Sum(s => agent.ProficiencyIn(s.Skill)) + (call.Language is null ? 0 : agent.ProficiencyIn(call.Language));

        public void CheckNoCallLostAndNoAgentDoubleReserved()
        {
            var agentOfCall = new Dictionary<string, string>();
            foreach (var agent in router.Agents)
            {
                if (agent.State is AgentState.Reserved or AgentState.OnCall)
                {
                    Assert.True(agentOfCall.TryAdd(agent.CallId!, agent.AgentId), $"call {agent.CallId} is held by {agentOfCall.GetValueOrDefault(agent.CallId!)} and {agent.AgentId}");
                }
                else if (agent.State is AgentState.Available or AgentState.NotReady or AgentState.LoggedOut)
                {
                    Assert.Null(agent.CallId);
                }
            }

            var waiting = 0;
            foreach (var call in router.Calls)
            {
                // A finished call was checked once; terminal states do not change.
                if (_finished.Contains(call.CallId))
                {
                    continue;
                }

                var inQueues = queues.Count(q => router.Queue(q.QueueId).Contains(call.CallId));
                switch (call.State)
                {
                    case CallState.Queued or CallState.CallbackScheduled:
                        Assert.Equal(1, inQueues);
                        Assert.True(router.Queue(call.Call.QueueId).Contains(call.CallId), $"{call.CallId} is not in its queue {call.Call.QueueId}");
                        Assert.False(agentOfCall.ContainsKey(call.CallId));
                        waiting++;
                        break;
                    case CallState.Reserved or CallState.Ringing:
                        Assert.Equal(0, inQueues);
                        Assert.Equal(call.AgentId, agentOfCall.GetValueOrDefault(call.CallId));
                        Assert.Equal(AgentState.Reserved, router.Agent(call.AgentId!).State);
                        break;
                    case CallState.Answered:
                        Assert.Equal(0, inQueues);
                        Assert.Equal(call.AgentId, agentOfCall.GetValueOrDefault(call.CallId));
                        Assert.Equal(AgentState.OnCall, router.Agent(call.AgentId!).State);
                        break;
                    default:
                        Assert.True(call.IsFinished, $"{call.CallId} is in {call.State}");
                        Assert.Equal(0, inQueues);
                        Assert.False(agentOfCall.ContainsKey(call.CallId));
                        _finished.Add(call.CallId);
                        break;
                }
            }

            Assert.Equal(waiting, router.Queues.Sum(q => q.Count));
        }

        public void CheckNoAvailableAgentFitsAWaitingCall(DateTimeOffset now)
        {
            foreach (var agent in router.Agents)
            {
                if (agent.State != AgentState.Available)
                {
                    continue;
                }

                foreach (var queue in router.Queues)
                {
                    foreach (var waiting in queue.Waiting)
                    {
                        Assert.False(Eligibility.IsEligible(queue.Definition, waiting, agent.Profile, now, out _),
                            $"{agent.AgentId} is available and eligible for {waiting.CallId} in {queue.QueueId}");
                    }
                }
            }
        }
    }
}
