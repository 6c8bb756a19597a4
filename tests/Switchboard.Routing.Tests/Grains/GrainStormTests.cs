using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using Switchboard.Routing.Topics;
using Xunit.Abstractions;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>
/// A seeded random storm through the grains on a virtual clock: thousands of calls, hundreds of agents, random
/// answers, hang-ups, rejects, ring-outs, logouts, transfers, callbacks and queue reconfigurations. After every
/// simulated second the invariants are checked against what the grains and topics say.
/// </summary>
public sealed class GrainStormTests(ITestOutputHelper output)
{
    private const int Queues = 8;
    private const int AgentCount = 300;
    private const int Seconds = 900;

    private static readonly StrategyKind[] Strategies = [StrategyKind.LongestIdle, StrategyKind.MostSkilled, StrategyKind.LeastOccupied, StrategyKind.RoundRobin];

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_storm_of_calls_through_the_grains_loses_no_call_and_never_double_books_an_agent(int seed)
    {
        var random = new Random(seed);
        var center = BuildCenter(random);
        await using var silo = await RoutingSilo.StartAsync(center);
        using var feed = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Center).Subscribe();
        var storm = new Storm(silo, center, random, feed);

        foreach (var agent in center.Agents)
        {
            if (random.NextDouble() < 0.9)
            {
                await silo.ReadyAsync(agent.AgentId);
            }
        }

        for (var second = 0; second < Seconds + 300; second++)
        {
            var arrivals = second < Seconds;
            await storm.StepAsync(arrivals);
            if (second % 90 == 45 && arrivals)
            {
                await storm.ReconfigureAsync();
            }

            await silo.AdvanceAsync(TimeSpan.FromSeconds(1));
            await CheckSettledAsync(silo, storm, full: second % 30 == 0);
        }

        await CheckSettledAsync(silo, storm, full: true);
        var outcomes = await storm.FinalOutcomesAsync();
        output.WriteLine($"{storm.Offered} calls, {storm.InlineChecks} strategy checks, {storm.Refusals} refused stale actions; " +
            string.Join(", ", outcomes.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(storm.Offered > 2000, $"only {storm.Offered} calls offered");
        Assert.True(outcomes.GetValueOrDefault(CallState.Completed) > 1000);
        Assert.True(outcomes.GetValueOrDefault(CallState.Abandoned) > 0);
        Assert.True(outcomes.GetValueOrDefault(CallState.TimedOut) > 0, "no call reached a maximum wait");
        Assert.True(storm.InlineChecks > 50, $"only {storm.InlineChecks} strategy checks");
    }

    /// <summary>
    /// The invariants, on views read one grain after another. On a loaded machine a one-way notice can still be on its
    /// way when the silo looks settled, so a view that disagrees is read again after another settle: a double booking, a
    /// lost call or an idle agent beside a waiting call stays, and fails the second look too.
    /// </summary>
    private static async Task CheckSettledAsync(RoutingSilo silo, Storm storm, bool full)
    {
        try
        {
            await storm.CheckAsync(full);
        }
        catch (Xunit.Sdk.XunitException)
        {
            await silo.SettleAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await silo.SettleAsync();
            await storm.CheckAsync(full);
        }
    }

    private static CenterConfiguration BuildCenter(Random random)
    {
        var yaml = new System.Text.StringBuilder();
        yaml.AppendLine("skills: [billing, technical, en, fr]");
        yaml.AppendLine("reasonCodes: [break, lunch]");
        yaml.AppendLine("vendors: [{ id: inhouse }, { id: acme }, { id: globex }]");
        yaml.AppendLine("teams:");
        for (var t = 0; t < 15; t++)
        {
            yaml.AppendLine($"  - {{ id: t{t}, vendor: {(t % 3) switch { 0 => "inhouse", 1 => "acme", _ => "globex" }} }}");
        }

        yaml.AppendLine("queues:");
        for (var q = 0; q < Queues; q++)
        {
            var extra = q switch
            {
                5 => ", maxWait: { seconds: 120, action: overflow }, overflow: { queue: q0 }",
                6 => ", maxWait: { seconds: 150, action: voicemail }",
                7 => ", maxWait: { seconds: 100, action: callback }",
                _ => "",
            };
            yaml.AppendLine($"  - {{ id: q{q}, strategy: {(q < 3 ? "longestIdle" : Strategies[q % Strategies.Length].ToString())}, offerTimeoutSeconds: 12, maxWrapUpSeconds: 20, repeatCallerWaitSeconds: 5{extra} }}");
        }

        yaml.AppendLine("agents:");
        for (var a = 0; a < AgentCount; a++)
        {
            // q5-q7 (the queues with a maximum wait) are thinly staffed, so that calls reach it.
            var served = Enumerable.Range(0, 5).OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
            if (random.NextDouble() < 0.1)
            {
                served.Add(5 + random.Next(3));
            }

            var queues = served.Select(q => $"q{q}: {1 + random.Next(3)}");
            yaml.AppendLine($"  - {{ id: a{a:D3}, team: t{a % 15}, skills: {{ billing: {1 + random.Next(10)}, technical: {1 + random.Next(10)}, en: 8 }}, queues: {{ {string.Join(", ", queues)} }} }}");
        }

        return CenterConfigurationLoader.Parse(yaml.ToString(), CenterConfigurationFormat.Yaml, "storm.yaml");
    }

    /// <summary>The storm's driver and the invariants it checks.</summary>
    private sealed class Storm(RoutingSilo silo, CenterConfiguration center, Random random, TopicSubscription<StatusUpdate> feed)
    {
        private static readonly CallState[] Final = [CallState.Completed, CallState.Abandoned, CallState.TimedOut, CallState.Answered, CallState.Queued, CallState.CallbackScheduled, CallState.Reserved, CallState.Ringing];

        private readonly Dictionary<string, AgentStatus> _agents = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StormCall> _calls = new(StringComparer.Ordinal);
        private readonly Dictionary<string, StrategyKind> _strategies = center.Queues.ToDictionary(q => q.QueueId, q => q.Strategy);
        private int _nextCall;
        private bool _snapshotRead;

        public int Offered => _calls.Count;

        public int InlineChecks { get; private set; }

        public int Refusals { get; private set; }

        public async Task StepAsync(bool arrivals)
        {
            Drain();
            var actions = new List<Task>();

            // Agents act on what they see: answer or reject offers (or let them ring out), end calls, wrap up, take breaks.
            foreach (var status in _agents.Values.ToList())
            {
                var roll = random.NextDouble();
                var agent = silo.Agent(status.AgentId);
                switch (status.State)
                {
                    case AgentState.Reserved when status.Offer is { } offer:
                        if (roll < 0.25)
                        {
                            actions.Add(Try(silo.Call(offer.CallId).AnsweredAsync()));
                        }
                        else if (roll < 0.27)
                        {
                            actions.Add(Try(agent.RejectOfferAsync(offer.OfferId), () => Declined(offer.CallId)));
                        }
                        else if (roll < 0.28)
                        {
                            Declined(offer.CallId);
                        }

                        break;
                    case AgentState.OnCall when status.CallId is { } callId:
                        if (roll < 0.012)
                        {
                            var target = $"q{random.Next(Queues)}";
                            actions.Add(Try(agent.TransferAsync(TransferTarget.ToQueue(target))));
                        }
                        else if (roll < 0.02 + 0.0)
                        {
                            actions.Add(Try(silo.Call(callId).EndedAsync()));
                        }

                        break;
                    case AgentState.WrapUp when status.CallId is { } wrapped:
                        if (roll < 0.15)
                        {
                            actions.Add(Try(agent.FinishWrapUpAsync(wrapped, random.NextDouble() < 0.05 ? "break" : null)));
                        }

                        break;
                    case AgentState.NotReady:
                        if (roll < 0.05)
                        {
                            actions.Add(Try(agent.SetReadyAsync()));
                        }

                        break;
                    case AgentState.Available:
                        if (roll < 0.002)
                        {
                            actions.Add(Try(agent.LogoutAsync()));
                        }
                        else if (roll < 0.004)
                        {
                            actions.Add(Try(agent.SetNotReadyAsync("lunch")));
                        }

                        break;
                    case AgentState.LoggedOut:
                        if (roll < 0.01)
                        {
                            actions.Add(Try(silo.ReadyAsync(status.AgentId)));
                        }

                        break;
                }
            }

            // Callers hang up while waiting or ringing, or choose a callback.
            foreach (var call in _calls.Values)
            {
                if (call.Finished)
                {
                    continue;
                }

                var roll = random.NextDouble();
                if (roll < 0.004)
                {
                    actions.Add(Try(silo.Call(call.CallId).CallerHungUpAsync()));
                }
                else if (roll < 0.005 && call.State == CallState.Queued)
                {
                    actions.Add(Try(silo.Call(call.CallId).CallbackChosenAsync()));
                }
            }

            await Task.WhenAll(actions);
            await silo.SettleAsync();

            if (!arrivals)
            {
                return;
            }

            // New calls arrive, a few at a time; most are plain (no skill, unique caller), some ask for skills or call again.
            var count = random.Next(7);
            if (_nextCall > 0 && random.NextDouble() < 0.01)
            {
                count += 30;
            }

            var batch = new List<Task>();
            for (var i = 0; i < count; i++)
            {
                var id = $"c{_nextCall++:D5}";
                var queue = count > 7 && i > 0 ? $"q{5 + random.Next(3)}" : $"q{random.Next(Queues)}";
                var plain = random.NextDouble() < 0.7;
                var repeat = !plain && random.NextDouble() < 0.3;
                var caller = repeat ? $"+9{random.Next(20)}" : $"+1{_nextCall:D6}";
                var tier = plain ? CustomerTier.Standard : (CustomerTier)random.Next(4);
                var skills = plain || random.NextDouble() < 0.5 ? ImmutableArray<SkillRequirement>.Empty : [new SkillRequirement("technical", 1 + random.Next(8))];
                var call = new StormCall(id, queue, tier, plain && !repeat);
                _calls[id] = call;
                var offer = new CallOffer(RoutingSilo.Adapter, id, caller, queue, tier, skills);
                if (i == 0 && plain && _strategies[queue] == StrategyKind.LongestIdle)
                {
                    // One call at a time, on a settled silo, so the strategy's promise can be checked exactly.
                    // With other calls waiting, an older one may take the longest-idle agent first: check on an empty line.
                    var line = await silo.Queue(queue).GetStatusAsync();
                    Drain();
                    var expected = line.CallsWaiting == 0 ? ExpectedLongestIdle(queue) : null;
                    var result = await silo.Call(id).OfferAsync(offer);
                    call.State = result.State;
                    if (result.State == CallState.Reserved && line.CallsWaiting == 0)
                    {
                        Assert.True(expected == result.AgentId, $"call {id} in {queue}: longest-idle promised {expected}, got {result.AgentId}: {Describe(expected, queue)} / {Describe(result.AgentId, queue)}");
                        InlineChecks++;
                    }
                    else if (line.CallsWaiting == 0)
                    {
                        Assert.True(expected is null, $"call {id} waits in {queue} while {Describe(expected, queue)} is available");
                    }

                    await silo.SettleAsync();
                    Drain();
                    continue;
                }

                batch.Add(silo.Call(id).OfferAsync(offer));
            }

            await Task.WhenAll(batch);
            await silo.SettleAsync();
        }

        public async Task ReconfigureAsync()
        {
            var queueId = $"q{3 + random.Next(Queues - 3)}";
            var definition = (await silo.Center.GetAsync()).Configuration.QueuesById[queueId];
            var strategy = Strategies[random.Next(Strategies.Length)];
            await silo.Center.UpsertQueueAsync(definition with { Strategy = strategy });
            _strategies[queueId] = strategy;
            await silo.SettleAsync();
        }

        /// <summary>The invariants, checked on a settled silo.</summary>
        public async Task CheckAsync(bool full)
        {
            Drain();
            var live = _calls.Values.Where(c => !c.Finished).ToList();
            var snapshots = await Task.WhenAll(live.Select(c => silo.Call(c.CallId).GetAsync()));
            var byAgent = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var snapshot in snapshots)
            {
                var call = _calls[snapshot.CallId];
                call.State = snapshot.State;
                call.QueueId = snapshot.QueueId;
                call.Finished = snapshot.State is CallState.Completed or CallState.Abandoned or CallState.TimedOut;
                Assert.Contains(snapshot.State, Final);
                if (snapshot.State is CallState.Reserved or CallState.Ringing or CallState.Answered)
                {
                    // No agent is ever reserved for, or talking on, two calls.
                    Assert.True(byAgent.TryAdd(snapshot.AgentId!, snapshot.CallId),
                        $"agent {snapshot.AgentId} holds calls {byAgent.GetValueOrDefault(snapshot.AgentId!)} and {snapshot.CallId}");
                    // The feed's view of the agent may be a notice behind on a loaded machine: the agent grain's own
                    // status is what must agree with the call.
                    var agent = await CurrentAsync(snapshot.AgentId!, a => a.CallId == snapshot.CallId);
                    Assert.Equal(snapshot.CallId, agent.CallId);
                    Assert.Equal(snapshot.State == CallState.Answered ? AgentState.OnCall : AgentState.Reserved, agent.State);
                }
            }

            foreach (var seen in _agents.Values.ToList())
            {
                if (seen.State is AgentState.Reserved or AgentState.OnCall)
                {
                    var agent = await CurrentAsync(seen.AgentId, a => byAgent.TryGetValue(a.AgentId, out var held) && held == a.CallId);
                    if (agent.State is not (AgentState.Reserved or AgentState.OnCall))
                    {
                        continue;
                    }
                    Assert.True(byAgent.TryGetValue(agent.AgentId, out var callId) && callId == agent.CallId,
                        $"agent {agent.AgentId} is {agent.State} with call {agent.CallId}, which does not name it");
                }
            }

            var waitingByQueue = new Dictionary<string, IReadOnlyList<CallPosition>>(StringComparer.Ordinal);
            foreach (var queue in center.Queues)
            {
                waitingByQueue[queue.QueueId] = await silo.Queue(queue.QueueId).GetWaitingCallsAsync();
            }

            foreach (var (queueId, waiting) in waitingByQueue)
            {
                // FIFO within a priority: the line is ordered by priority, then original arrival.
                for (var i = 1; i < waiting.Count; i++)
                {
                    var (a, b) = (_calls[waiting[i - 1].CallId], _calls[waiting[i].CallId]);
                    Assert.True(a.Priority > b.Priority || (a.Priority == b.Priority && waiting[i - 1].EnqueuedAt <= waiting[i].EnqueuedAt),
                        $"queue {queueId}: {a.CallId} (priority {a.Priority}) is ahead of {b.CallId} (priority {b.Priority}) out of order");
                }

                foreach (var position in waiting)
                {
                    Assert.Contains(_calls[position.CallId].State, new[] { CallState.Queued, CallState.CallbackScheduled });
                }

                // Never idle while calls wait: no available agent of this queue may be left with a plain call waiting.
                var plain = waiting.FirstOrDefault(p => _calls[p.CallId].Plain);
                if (plain is not null)
                {
                    var idle = _agents.Values.FirstOrDefault(a => a.State == AgentState.Available && a.DeskConnected
                        && center.AgentsById[a.AgentId].Serves(queueId));
                    Assert.True(idle is null, $"agent {idle?.AgentId} is available in {queueId} while plain call {plain.CallId} waits");
                }
            }

            if (full)
            {
                // No acknowledged call lost: every waiting call is in its queue's line.
                foreach (var snapshot in snapshots.Where(s => s.State is CallState.Queued or CallState.CallbackScheduled))
                {
                    Assert.Contains(waitingByQueue[snapshot.QueueId], p => p.CallId == snapshot.CallId);
                }
            }
        }

        public async Task<Dictionary<CallState, int>> FinalOutcomesAsync()
        {
            var snapshots = await Task.WhenAll(_calls.Keys.Select(id => silo.Call(id).GetAsync()));
            foreach (var snapshot in snapshots)
            {
                Assert.Contains(snapshot.State, Final);
            }

            return snapshots.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        }

        private string? ExpectedLongestIdle(string queueId)
        {
            AgentStatus? best = null;
            var bestPriority = int.MinValue;
            foreach (var agent in _agents.Values)
            {
                if (agent.State != AgentState.Available || !agent.DeskConnected)
                {
                    continue;
                }

                var priority = center.AgentsById[agent.AgentId].PriorityFor(queueId);
                if (priority == int.MinValue)
                {
                    continue;
                }

                if (best is null || priority > bestPriority
                    || (priority == bestPriority && (agent.StateSince < best.StateSince
                        || (agent.StateSince == best.StateSince && string.CompareOrdinal(agent.AgentId, best.AgentId) < 0))))
                {
                    (best, bestPriority) = (agent, priority);
                }
            }

            return best?.AgentId;
        }

        private string Describe(string? agentId, string queueId) =>
            agentId is null || !_agents.TryGetValue(agentId, out var a) ? "none"
                : $"{a.AgentId} {a.State} since {a.StateSince:HH:mm:ss} v{a.Version} priority {center.AgentsById[a.AgentId].PriorityFor(queueId)} desk {a.DeskConnected}";

        private void Declined(string callId)
        {
            if (_calls.TryGetValue(callId, out var call))
            {
                call.Plain = false;
            }
        }

        private async Task Try(Task task, Action? onSuccess = null)
        {
            try
            {
                await task;
                onSuccess?.Invoke();
            }
            catch (RoutingException)
            {
                // The action was chosen from a view a moment old; the grain refused it and changed nothing.
                Refusals++;
            }
        }

        /// <summary>The feed's status of the agent when it passes <paramref name="agrees"/>; else the agent grain's own, kept.</summary>
        private async Task<AgentStatus> CurrentAsync(string agentId, Func<AgentStatus, bool> agrees)
        {
            var seen = _agents[agentId];
            if (agrees(seen))
            {
                return seen;
            }
            var current = await silo.Agent(agentId).GetStatusAsync();
            _agents[agentId] = current;
            return current;
        }

        private void Drain()
        {
            if (!_snapshotRead)
            {
                _snapshotRead = true;
                foreach (var item in feed.Snapshot)
                {
                    if (item.Value is AgentStatus status)
                    {
                        _agents[status.AgentId] = status;
                    }
                }
            }

            while (feed.PendingCount > 0)
            {
                var item = feed.ReadAsync().AsTask().GetAwaiter().GetResult();
                if (item.Value is AgentStatus status)
                {
                    _agents[status.AgentId] = status;
                    if (status.Offer is { } offer)
                    {
                        // A call that was offered once may have been declined or missed: it may wait while that agent is idle.
                        Declined(offer.CallId);
                    }
                }
            }
        }
    }

    private sealed class StormCall(string callId, string queueId, CustomerTier tier, bool plain)
    {
        public string CallId { get; } = callId;

        public string QueueId { get; set; } = queueId;

        public int Priority { get; } = (int)tier;

        public bool Plain { get; set; } = plain;

        public CallState State { get; set; } = CallState.Queued;

        public bool Finished { get; set; }
    }
}
