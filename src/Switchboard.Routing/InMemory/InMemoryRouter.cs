using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.InMemory;

/// <summary>
/// A complete single-threaded router over N agents and M queues with no actors and no I/O: the ideal the
/// grain-based router is measured against, built from the same state machines, queues, matcher and
/// strategies. Every operation takes <c>now</c> and leaves the reservations it made in
/// <see cref="LastReservations"/> (a reused list: read it before the next call).
/// <para>
/// Invariant after every operation: no available agent is eligible for a waiting call, as of the last
/// <see cref="Tick"/>. New calls are matched queue-first (the queue's strategy picks among the available
/// agents); an agent that becomes available is matched agent-first (cross-queue arbitration picks the
/// queue, the queue's order picks the call). Eligibility that changes with time alone (relaxation steps,
/// the repeat-caller window, aging) and timeouts are applied by <see cref="Tick"/>, which the host calls
/// periodically (a grain timer would).
/// </para>
/// </summary>
public sealed class InMemoryRouter
{
    /// <summary>How long a caller's last agent is remembered for repeat-call routing.</summary>
    public static readonly TimeSpan RepeatCallerMemory = TimeSpan.FromHours(24);

    private readonly Dictionary<string, AgentStateMachine> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueSlot> _queues = new(StringComparer.Ordinal);
    private readonly List<QueueSlot> _queueList = [];
    private readonly Dictionary<string, QueueSlot[]> _queuesOfAgent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallStateMachine> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitingCall> _offered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string AgentId, DateTimeOffset At)> _lastAgentByCaller = new(StringComparer.Ordinal);
    private readonly List<Reservation> _reservations = [];
    private readonly List<Reservation> _scratch = [];
    private readonly List<WaitingCall> _expired = [];
    private readonly List<AgentStateMachine> _due = [];
    private readonly List<CallEvent>? _callLog;
    private readonly List<AgentEvent>? _agentLog;
    private AgentCandidate[] _candidates = new AgentCandidate[64];
    private QueueClaim[] _claims = new QueueClaim[8];
    private WaitingCall?[] _claimEntries = new WaitingCall?[8];

    /// <param name="queues">The queues; each gets a fresh strategy (random ones seeded from <paramref name="seed"/>).</param>
    /// <param name="agents">The agents, all logged out at <paramref name="now"/>.</param>
    /// <param name="now">The time the router starts at.</param>
    /// <param name="seed">Seeds the random strategies, so a run can be replayed.</param>
    /// <param name="recordEvents">Keep every event produced in <see cref="CallLog"/> and <see cref="AgentLog"/> (tests, figures).</param>
    public InMemoryRouter(IEnumerable<QueueDefinition> queues, IEnumerable<AgentProfile> agents, DateTimeOffset now, int seed = 0, bool recordEvents = false)
    {
        foreach (var definition in queues)
        {
            var slot = new QueueSlot(new QueueState(definition, RoutingStrategy.Create(definition.Strategy, seed + _queueList.Count)));
            if (!_queues.TryAdd(definition.QueueId, slot))
            {
                throw new RoutingException("duplicate-queue", $"queue {definition.QueueId} is defined twice");
            }

            _queueList.Add(slot);
        }

        foreach (var profile in agents)
        {
            if (!_agents.TryAdd(profile.AgentId, new AgentStateMachine(profile, now)))
            {
                throw new RoutingException("duplicate-agent", $"agent {profile.AgentId} is defined twice");
            }

            _queuesOfAgent[profile.AgentId] = QueuesFor(profile);
        }

        if (recordEvents)
        {
            _callLog = [];
            _agentLog = [];
        }
    }

    public InMemoryRouter(CenterConfiguration center, DateTimeOffset now, int seed = 0, bool recordEvents = false)
        : this(center.Queues, center.Agents, now, seed, recordEvents)
    {
    }

    /// <summary>The reservations the last operation made, in the order made.</summary>
    public IReadOnlyList<Reservation> LastReservations => _reservations;

    public IReadOnlyCollection<AgentStateMachine> Agents => _agents.Values;

    public IReadOnlyCollection<CallStateMachine> Calls => _calls.Values;

    public IEnumerable<QueueState> Queues => _queueList.Select(q => q.State);

    /// <summary>Every call event produced, when constructed with recordEvents.</summary>
    public IReadOnlyList<CallEvent> CallLog => _callLog ?? [];

    /// <summary>Every agent event produced, when constructed with recordEvents.</summary>
    public IReadOnlyList<AgentEvent> AgentLog => _agentLog ?? [];

    public AgentStateMachine Agent(string agentId) =>
        _agents.TryGetValue(agentId, out var agent) ? agent : throw new RoutingException("unknown-agent", $"unknown agent {agentId}");

    public CallStateMachine Call(string callId) =>
        _calls.TryGetValue(callId, out var call) ? call : throw new RoutingException("unknown-call", $"unknown call {callId}");

    public QueueState Queue(string queueId) => Slot(queueId).State;

    public void Login(string agentId, DateTimeOffset now)
    {
        Begin();
        Log(Agent(agentId).Login(now));
    }

    public void Logout(string agentId, DateTimeOffset now)
    {
        Begin();
        var agent = Agent(agentId);
        var wasAvailable = agent.State == AgentState.Available;
        Log(agent.Logout(now));
        if (wasAvailable)
        {
            RemoveAvailable(agent);
        }
    }

    /// <summary>The agent goes ready; it may be reserved at once.</summary>
    public void SetReady(string agentId, DateTimeOffset now)
    {
        Begin();
        var agent = Agent(agentId);
        if (agent.State == AgentState.Available)
        {
            return;
        }

        Log(agent.SetReady(now));
        BecameAvailable(agent, now);
    }

    public void SetNotReady(string agentId, string reasonCode, DateTimeOffset now)
    {
        Begin();
        var agent = Agent(agentId);
        var wasAvailable = agent.State == AgentState.Available;
        Log(agent.SetNotReady(reasonCode, now));
        if (wasAvailable)
        {
            RemoveAvailable(agent);
        }
    }

    /// <summary>A telephony adapter offers a call: it is queued and matched at once if an agent can take it.</summary>
    public void Offer(Call call, DateTimeOffset now)
    {
        Begin();
        var slot = Slot(call.QueueId);
        if (_calls.ContainsKey(call.CallId))
        {
            throw new RoutingException("duplicate-call", $"call {call.CallId} was already offered");
        }

        var machine = CallStateMachine.Offer(call, out var offered);
        Log(offered);
        Log(machine.Enqueue(now));
        _calls.Add(call.CallId, machine);

        string? preferred = null;
        if (_lastAgentByCaller.TryGetValue(call.CallerNumber, out var last) && now - last.At <= RepeatCallerMemory)
        {
            preferred = last.AgentId;
        }

        var entry = slot.State.Enqueue(call, preferred);
        MatchQueue(slot, now, entry);
    }

    /// <summary>The agent answered the call offered to it.</summary>
    public void Answer(string callId, DateTimeOffset now)
    {
        Begin();
        var call = Call(callId);
        var agent = OfferedAgent(call, "answer");
        Log(agent.Answer(callId, now));
        Log(call.Answer(now));
        _offered.Remove(callId);
        _lastAgentByCaller[call.Call.CallerNumber] = (agent.AgentId, now);
    }

    /// <summary>The agent declined: the call goes back to the head of its queue, the agent is available (not for this call).</summary>
    public void Reject(string callId, DateTimeOffset now)
    {
        Begin();
        var call = Call(callId);
        var agent = OfferedAgent(call, "reject");
        Log(agent.Reject(callId, now));
        Log(call.Reject(now));
        ReturnToQueue(call, agent.AgentId, now);
        BecameAvailable(agent, now);
    }

    /// <summary>The offer rang out: the call goes back to the head of its queue, the agent goes NotReady(missed-offer).</summary>
    public void NoAnswer(string callId, DateTimeOffset now)
    {
        Begin();
        NoAnswerCore(Call(callId), now);
    }

    /// <summary>The caller hung up before an answer, while waiting or while an agent's phone rang.</summary>
    public void Abandon(string callId, DateTimeOffset now)
    {
        Begin();
        var call = Call(callId);
        AgentStateMachine? ringing = null;
        if (call.State is CallState.Reserved or CallState.Ringing)
        {
            ringing = OfferedAgent(call, "abandon");
            Log(ringing.CancelOffer(callId, now));
            _offered.Remove(callId);
        }

        Log(call.Abandon(now));
        Slot(call.Call.QueueId).State.Remove(callId, out _);
        if (ringing is not null)
        {
            BecameAvailable(ringing, now);
        }
    }

    /// <summary>The conversation ended; the agent goes to wrap-up, bounded by the queue's maximum.</summary>
    public void Complete(string callId, DateTimeOffset now)
    {
        Begin();
        var call = Call(callId);
        var agent = Agent(call.AgentId ?? throw new RoutingException("not-connected", $"call {callId} has no agent (state {call.State})"));
        Log(call.Complete(now));
        Log(agent.EndCall(callId, now, Slot(call.Call.QueueId).State.Definition.MaxWrapUp));
    }

    /// <summary>The agent finished wrap-up: available again (and perhaps reserved at once), or NotReady with a reason.</summary>
    public void FinishWrapUp(string agentId, DateTimeOffset now, string? notReadyReason = null)
    {
        Begin();
        var agent = Agent(agentId);
        var queueId = agent.QueueId;
        var callId = agent.CallId;
        Log(agent.FinishWrapUp(now, notReadyReason));
        AfterWrapUp(agent, queueId, callId, now);
    }

    /// <summary>
    /// Applies what time alone changes: matches every queue again for relaxation steps, repeat-caller
    /// windows and aging that now admit more agents, then handles offers that rang out, wrap-ups past
    /// their maximum and calls past their queue's maximum wait (overflow, voicemail, callback), and matches
    /// once more for the calls those moved.
    /// </summary>
    public void Tick(DateTimeOffset now)
    {
        Begin();

        // Time alone may have made waiting calls eligible for available agents: match those first, so the
        // timeouts below, which match only the call they return, find the invariant true at this time.
        foreach (var slot in _queueList)
        {
            MatchQueue(slot, now);
        }

        _due.Clear();
        foreach (var agent in _agents.Values)
        {
            if ((agent.State == AgentState.Reserved && agent.OfferExpiresAt <= now)
                || (agent.State == AgentState.WrapUp && agent.WrapUpDeadline <= now))
            {
                _due.Add(agent);
            }
        }

        foreach (var agent in _due)
        {
            if (agent.State == AgentState.Reserved)
            {
                NoAnswerCore(Call(agent.CallId!), now);
            }
            else
            {
                var queueId = agent.QueueId;
                var callId = agent.CallId;
                Log(agent.WrapUpTimeout(now));
                AfterWrapUp(agent, queueId, callId, now);
            }
        }

        foreach (var slot in _queueList)
        {
            _expired.Clear();
            if (slot.State.ExpireWaits(now, _expired) == 0)
            {
                continue;
            }

            foreach (var entry in _expired)
            {
                var call = Call(entry.CallId);
                var definition = slot.State.Definition;
                if (definition.MaxWaitAction == MaxWaitAction.Overflow && definition.OverflowQueueId is { } target && _queues.TryGetValue(target, out var to))
                {
                    Log(call.TimeOut(MaxWaitAction.Overflow, now, target));
                    to.State.Enqueue(call.Call, entry.PreferredAgentId);
                }
                else if (definition.MaxWaitAction == MaxWaitAction.Callback)
                {
                    Log(call.TimeOut(MaxWaitAction.Callback, now));
                }
                else
                {
                    Log(call.TimeOut(MaxWaitAction.Voicemail, now));
                }
            }
        }

        foreach (var slot in _queueList)
        {
            MatchQueue(slot, now);
        }
    }

    private void NoAnswerCore(CallStateMachine call, DateTimeOffset now)
    {
        var agent = OfferedAgent(call, "time out an offer");
        Log(agent.OfferTimeout(call.CallId, now));
        Log(call.NoAnswer(now));
        ReturnToQueue(call, agent.AgentId, now);
    }

    private void AfterWrapUp(AgentStateMachine agent, string? queueId, string? callId, DateTimeOffset now)
    {
        if (queueId is not null && callId is not null && _calls.TryGetValue(callId, out var call) && call.AnsweredAt is { } answeredAt
            && _queues.TryGetValue(queueId, out var slot))
        {
            slot.State.RecordHandleTime(now - answeredAt);
        }

        if (agent.State == AgentState.Available)
        {
            BecameAvailable(agent, now);
        }
    }

    private void ReturnToQueue(CallStateMachine call, string declinedBy, DateTimeOffset now)
    {
        _offered.Remove(call.CallId, out var entry);
        var slot = Slot(call.Call.QueueId);
        var returned = slot.State.Return(entry ?? new WaitingCall(call.Call, 0, slot.State.Definition.BasePriorityOf(call.Call), false, null, []), declinedBy);
        MatchQueue(slot, now, returned);
    }

    private AgentStateMachine OfferedAgent(CallStateMachine call, string action)
    {
        if (call.State is not (CallState.Reserved or CallState.Ringing) || call.AgentId is null)
        {
            throw new CallStateException("no-offer", call.CallId, call.State, action,
                $"call {call.CallId} cannot {action}: it is not offered to an agent (state {call.State})");
        }

        return Agent(call.AgentId);
    }

    /// <summary>
    /// Queue-first matching: the queue's order picks calls, its strategy picks among available agents.
    /// With <paramref name="only"/>, just that call is matched: between ticks the other waiting calls fit
    /// no available agent (the router's invariant), so a new or returned call is all there is to decide.
    /// </summary>
    private void MatchQueue(QueueSlot slot, DateTimeOffset now, WaitingCall? only = null)
    {
        if (slot.State.Count == 0 || slot.Available.Count == 0)
        {
            return;
        }

        var n = slot.Available.Count;
        if (_candidates.Length < n)
        {
            _candidates = new AgentCandidate[Math.Max(n, _candidates.Length * 2)];
        }

        var withOccupancy = slot.State.Strategy.Kind == StrategyKind.LeastOccupied;
        for (var i = 0; i < n; i++)
        {
            _candidates[i] = AgentCandidate.From(slot.Available[i], now, withOccupancy);
        }

        var candidates = new ReadOnlySpan<AgentCandidate>(_candidates, 0, n);
        if (only is not null)
        {
            if (slot.State.MatchCall(only, candidates, now, out var reservation))
            {
                Reserve(reservation, now);
            }

            return;
        }

        _scratch.Clear();
        slot.State.Match(candidates, now, _scratch);
        for (var i = 0; i < _scratch.Count; i++)
        {
            Reserve(_scratch[i], now);
        }
    }

    /// <summary>Agent-first matching: every queue the agent can serve offers its first eligible call; arbitration picks one.</summary>
    private void BecameAvailable(AgentStateMachine agent, DateTimeOffset now)
    {
        var queues = _queuesOfAgent[agent.AgentId];
        if (_claims.Length < queues.Length)
        {
            _claims = new QueueClaim[queues.Length];
            _claimEntries = new WaitingCall?[queues.Length];
        }

        var candidate = AgentCandidate.From(agent, now);
        var count = 0;
        for (var i = 0; i < queues.Length; i++)
        {
            var state = queues[i].State;
            if (state.Count == 0 || state.FindCallFor(candidate, now) is not { } entry)
            {
                continue;
            }

            _claims[count] = new QueueClaim(state.QueueId, entry.CallId, agent.Profile.PriorityFor(state.QueueId), entry.PriorityAt(now, state.Definition.Aging), entry.EnqueuedAt);
            _claimEntries[count] = entry;
            count++;
        }

        var winner = CrossQueueArbitration.Choose(new ReadOnlySpan<QueueClaim>(_claims, 0, count));
        if (winner < 0)
        {
            AddAvailable(agent);
            return;
        }

        var queue = Slot(_claims[winner].QueueId).State;
        Reserve(queue.Take(_claimEntries[winner]!, candidate, now), now, wasListed: false);
    }

    private void Reserve(Reservation reservation, DateTimeOffset now, bool wasListed = true)
    {
        var agent = _agents[reservation.AgentId];
        var call = _calls[reservation.CallId];
        var timeout = Slot(reservation.QueueId).State.Definition.OfferTimeout;
        Log(agent.Reserve(reservation.CallId, reservation.QueueId, now, now + timeout));
        Log(call.Reserve(agent.AgentId, now));
        _offered[reservation.CallId] = reservation.Entry;
        if (wasListed)
        {
            RemoveAvailable(agent);
        }

        _reservations.Add(reservation);
    }

    private void AddAvailable(AgentStateMachine agent)
    {
        foreach (var slot in _queuesOfAgent[agent.AgentId])
        {
            slot.Add(agent);
        }
    }

    private void RemoveAvailable(AgentStateMachine agent)
    {
        foreach (var slot in _queuesOfAgent[agent.AgentId])
        {
            slot.Remove(agent);
        }
    }

    /// <summary>The queues an agent can take calls from: those it serves, and those whose relaxation reaches one of them.</summary>
    private QueueSlot[] QueuesFor(AgentProfile profile)
    {
        var result = new List<QueueSlot>();
        foreach (var slot in _queueList)
        {
            if (profile.Serves(slot.State.QueueId))
            {
                result.Add(slot);
                continue;
            }

            foreach (var step in slot.State.Definition.Relaxation)
            {
                if (!step.OverflowQueues.IsDefaultOrEmpty && step.OverflowQueues.Any(profile.Serves))
                {
                    result.Add(slot);
                    break;
                }
            }
        }

        return [.. result];
    }

    private QueueSlot Slot(string queueId) =>
        _queues.TryGetValue(queueId, out var slot) ? slot : throw new RoutingException("unknown-queue", $"unknown queue {queueId}");

    private void Begin() => _reservations.Clear();

    private void Log(IReadOnlyList<CallEvent> events) => _callLog?.AddRange(events);

    private void Log(IReadOnlyList<AgentEvent> events) => _agentLog?.AddRange(events);

    /// <summary>A queue and the available agents who can take its calls (an indexed set: O(1) add and remove).</summary>
    private sealed class QueueSlot(QueueState state)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public QueueState State { get; } = state;

        public List<AgentStateMachine> Available { get; } = [];

        public void Add(AgentStateMachine agent)
        {
            if (_index.TryAdd(agent.AgentId, Available.Count))
            {
                Available.Add(agent);
            }
        }

        public void Remove(AgentStateMachine agent)
        {
            if (!_index.Remove(agent.AgentId, out var i))
            {
                return;
            }

            var last = Available.Count - 1;
            if (i != last)
            {
                Available[i] = Available[last];
                _index[Available[i].AgentId] = i;
            }

            Available.RemoveAt(last);
        }
    }
}
