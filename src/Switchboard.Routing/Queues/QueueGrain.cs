using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Strategies;
using Switchboard.Routing.Telemetry;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Queues;

/// <summary>
/// One queue: a <see cref="QueueState"/> of waiting calls, the calls being offered, and the agents who may take
/// its calls as they last reported themselves. New and returned calls are matched queue-first (the strategy picks
/// among available agents, each reserved through its own grain); agents that become available are matched
/// agent-first (<see cref="ClaimAsync"/> then <see cref="TakeAsync"/>, arbitrated by the agent across its
/// queues). A watchdog tick applies the max-wait action and time-driven eligibility while calls wait.
/// </summary>
internal sealed partial class QueueGrain(
    [PersistentState("queue")] IPersistentState<QueueGrainState> stored,
    [GrainJournal] IGrainJournal journal,
    CenterDirectory directory,
    ITopicHub streams,
    TimeProvider time,
    IOptions<RoutingOptions> options,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IQueueRouting
{
    private readonly Dictionary<string, WaitingCall> _offered = new(StringComparer.Ordinal);

    // Of the calls being offered, the offer this activation made (its id once heard back about; an agent that took a
    // call itself never says it). A call offered with no entry here was restored from the journal: its offer was
    // made by an earlier activation. RestoreAsync tells by them whether the offer a call never recorded is the one
    // this queue holds it for.
    private readonly Dictionary<string, (string AgentId, string? OfferId)> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueCallExtras> _extras = new(StringComparer.Ordinal);
    // One slot per agent serving the queue, updated in place: a slot outlives many garbage collections, and a new
    // presence object stored in it at every change would leave an old object pointing at a young one each time,
    // which every collection until the next gen1 has to scan (docs/benchmarks.md).
    private readonly Dictionary<string, AgentSlot> _agents = new(StringComparer.Ordinal);
    private readonly List<Reservation> _reservations = [];
    private readonly List<WaitingCall> _expired = [];
    private readonly QueueLineLog _log = new();
    private int _changesSinceCheckpoint;
    private bool _checkpointNeeded;
    private readonly int[] _byState = new int[6];
    private QueueState? _state;
    // The available, eligible agents sorted by id (so ties resolve the same way on every run), kept in step with
    // every presence change by binary search: no list is rebuilt or sorted per match.
    private AgentCandidate[] _candidates = new AgentCandidate[16];
    private int _available;
    private DateTimeOffset _lastAnnouncement;
    private IGrainTimer? _tick;
    private ITopic<StatusUpdate>[] _topics = [];
    private long _version;
    private KeyValuePair<string, object?> _queueTag;

    private string? _topicKey;

    private string QueueId => this.GetPrimaryKeyString();

    // The queue's key inside its topics, built once (it was a new string on every publish).
    private string TopicKey => _topicKey ??= RoutingTopics.QueueKey(QueueId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queueTag = new(RoutingTelemetry.QueueAttribute, QueueId);
        _lastAnnouncement = time.GetUtcNow();
        _topics = [streams.GetTopic<StatusUpdate>(RoutingTopics.Queue(QueueId)), streams.GetTopic<StatusUpdate>(RoutingTopics.Center)];
        var definition = directory.FindQueue(QueueId);
        if (definition is null)
        {
            return;
        }

        _state = NewState(definition);
        var s = stored.State;
        var changes = new List<QueueLineChange>();
        await foreach (var record in journal.ReadAsync(s.ReplayFrom, cancellationToken))
        {
            if (record.Type == RoutingJournal.QueueLine)
            {
                changes.Add(RoutingJournal.Read<QueueLineChange>(record));
            }
        }

        var line = QueueLineLog.Replay(s, changes);
        _state.Restore(line.Values.Where(e => !e.Offered).Select(e => e.Entry));
        foreach (var (callId, entry) in line)
        {
            if (entry.Offered)
            {
                _offered[callId] = entry.Entry;
            }

            if (entry.Extras is { } extras)
            {
                _extras[callId] = extras;
            }
        }

        _log.Reset(_state.Waiting, _offered.Values, _extras);
        _changesSinceCheckpoint = changes.Count;

        if (_state.Count > 0)
        {
            RoutingTelemetry.QueueDepth.Add(_state.Count, _queueTag);
        }

        // Agents tell a queue when they change; a queue that just activated asks them where they are.
        foreach (var agent in directory.AgentsFor(QueueId))
        {
            Forget(GrainFactory.GetGrain<IAgentRouting>(agent.AgentId).ReportPresenceAsync(QueueId));
        }

        EnsureTick();
        Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The depth counted by this activation leaves with it; the next activation counts its restored line again.
        if (_state is { Count: > 0 })
        {
            RoutingTelemetry.QueueDepth.Add(-_state.Count, _queueTag);
        }

        return Task.CompletedTask;
    }

    // ---- read side (IQueueGrain) ----

    public Task<QueueStatus> GetStatusAsync()
    {
        State();
        return Task.FromResult(Status());
    }

    public Task<CallPosition?> GetPositionAsync(string callId)
    {
        var state = State();
        var entry = state.Find(callId);
        if (entry is null)
        {
            return Task.FromResult<CallPosition?>(null);
        }

        var now = time.GetUtcNow();
        return Task.FromResult<CallPosition?>(Position(entry, now));
    }

    public Task<IReadOnlyList<CallPosition>> GetWaitingCallsAsync()
    {
        var state = State();
        var now = time.GetUtcNow();
        var order = state.OrderAt(now);
        var staffed = AgentsStaffed();
        var result = new List<CallPosition>(order.Count);
        for (var i = 0; i < order.Count; i++)
        {
            var entry = order[i];
            result.Add(new CallPosition(entry.CallId, QueueId, i + 1, state.EstimatedWaitAt(i + 1, staffed), entry.EnqueuedAt, entry.IsCallback));
        }

        return Task.FromResult<IReadOnlyList<CallPosition>>(result);
    }

    // ---- routing (IQueueRouting) ----

    public async Task<EnqueueReply> EnqueueAsync(EnqueueRequest request)
    {
        var state = State();
        using var activity = RoutingTelemetry.ActivitySource.StartActivity("switchboard.queue.enqueue");
        activity?.SetTag(RoutingTelemetry.QueueAttribute, QueueId);
        activity?.SetTag("switchboard.call", request.Call.CallId);
        if (state.Contains(request.Call.CallId) || _offered.ContainsKey(request.Call.CallId))
        {
            // A retried enqueue of a call already here: answer with where it is.
            return Reply(request.Call.CallId, null);
        }

        var entry = state.Enqueue(request.Call, request.PreferredAgentId);
        SetExtras(request.Call.CallId, new QueueCallExtras(request.RepeatCall, request.CallData, request.DialedNumber));
        RoutingTelemetry.QueueDepth.Add(1, _queueTag);
        // The calls already waiting fit none of the available agents (or they would have been matched; the tick
        // catches eligibility that changed with time): only the new call needs matching.
        var reservation = await DispatchAsync(request.Call.CallId, entry);
        if (reservation is null || state.Count > 0)
        {
            await PersistAsync();
        }
        else
        {
            // Reserved at once and nobody else waits: the line is as stored. The call and agent journals hold the
            // offer; a call this queue forgets after a crash comes back through ReturnAsync from its own record.
            EnsureTick();
            Publish();
        }

        return Reply(request.Call.CallId, reservation);
    }

    public async Task ReturnAsync(EnqueueRequest request, string? declinedBy)
    {
        var state = State();
        var callId = request.Call.CallId;
        if (TakeOffered(callId, out var entry))
        {
            if (!state.Contains(callId))
            {
                state.Return(entry, declinedBy);
                RoutingTelemetry.QueueDepth.Add(1, _queueTag);
            }
        }
        else if (!state.Contains(callId))
        {
            // Offered outside this queue (a transfer to a named agent): it waits here now, at its original place.
            var waiting = state.Enqueue(request.Call, request.PreferredAgentId);
            if (declinedBy is not null)
            {
                state.Remove(callId, out _);
                state.Return(waiting, declinedBy);
            }

            SetExtras(callId, new QueueCallExtras(request.RepeatCall, request.CallData, request.DialedNumber));
            RoutingTelemetry.QueueDepth.Add(1, _queueTag);
        }

        await DispatchAsync(null);
        await PersistAsync();
    }

    public Task RestoreAsync(EnqueueRequest request, string agentId, string offerId)
    {
        var callId = request.Call.CallId;
        if (State().Contains(callId))
        {
            return Task.CompletedTask;
        }

        // Held for an offer: the one that is over if this queue restored it from its journal, or made it with that id,
        // or (its id unknown: the agent took the call itself) to that agent. Another offer made since keeps it.
        var thatOffer = !_offered.ContainsKey(callId)
            || !_offers.TryGetValue(callId, out var offer)
            || (offer.OfferId is { } id
                ? string.Equals(id, offerId, StringComparison.Ordinal)
                : string.Equals(offer.AgentId, agentId, StringComparison.Ordinal));
        return thatOffer ? ReturnAsync(request, null) : Task.CompletedTask;
    }

    /// <summary>Takes a call out of the offers, with what is known of its offer.</summary>
    private bool TakeOffered(string callId, out WaitingCall entry)
    {
        _offers.Remove(callId);
        _log.Touched.Add(callId);
        return _offered.Remove(callId, out entry!);
    }

    /// <summary>A call being offered to an agent (its offer id once the agent has replied, if it does).</summary>
    private void Offering(string callId, WaitingCall entry, string agentId, string? offerId)
    {
        _offered[callId] = entry;
        _offers[callId] = (agentId, offerId);
        _log.Touched.Add(callId);
    }

    public async Task ReleaseAsync(string callId)
    {
        var state = State();
        if (TakeOffered(callId, out var entry) && !state.Contains(callId))
        {
            state.Return(entry, null);
            RoutingTelemetry.QueueDepth.Add(1, _queueTag);
            await DispatchAsync(null);
            await PersistAsync();
        }
    }

    public async Task<bool> RemoveAsync(string callId)
    {
        var state = State();
        var removed = TakeOffered(callId, out _);
        if (state.Remove(callId, out _))
        {
            RoutingTelemetry.QueueDepth.Add(-1, _queueTag);
            removed = true;
        }

        DropExtras(callId);
        if (removed)
        {
            await PersistAsync();
        }

        return removed;
    }

    public async Task<bool> ScheduleCallbackAsync(string callId)
    {
        var done = State().ScheduleCallback(callId);
        if (done)
        {
            await PersistAsync();
        }

        return done;
    }

    public Task RecordHandleTimeAsync(TimeSpan handleTime)
    {
        State().RecordHandleTime(handleTime);
        return Task.CompletedTask;
    }

    public Task<QueueClaim?> ClaimAsync(AgentCandidate candidate)
    {
        if (_state is null)
        {
            return Task.FromResult<QueueClaim?>(null);
        }

        SetAgent(candidate.AgentId, VersionOf(candidate.AgentId), AgentState.Available, candidate);
        var now = time.GetUtcNow();
        var entry = _state.FindCallFor(candidate, now);
        if (entry is null)
        {
            return Task.FromResult<QueueClaim?>(null);
        }

        return Task.FromResult<QueueClaim?>(new QueueClaim(
            QueueId, entry.CallId, candidate.Profile.PriorityFor(QueueId), entry.PriorityAt(now, _state.Definition.Aging), entry.EnqueuedAt));
    }

    public async Task<OfferRequest?> TakeAsync(string callId, AgentCandidate candidate)
    {
        if (_state?.Find(callId) is not { } entry)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (!Eligibility.IsEligible(_state.Definition, entry, candidate.Profile, now, out _))
        {
            return null;
        }

        var reservation = _state.Take(entry, candidate, now);
        RoutingTelemetry.QueueDepth.Add(-1, _queueTag);
        Offering(callId, reservation.Entry, candidate.AgentId, null);
        // The agent may take no other call now: it is reserving this one.
        SetAgent(candidate.AgentId, VersionOf(candidate.AgentId), AgentState.Reserved, null);
        await PersistAsync();
        return Offer(reservation.Entry);
    }

    public Task AgentChangedAsync(AgentPresence presence)
    {
        if (_agents.TryGetValue(presence.AgentId, out var known) && known.Version > presence.Version)
        {
            return Task.CompletedTask;
        }

        if (presence.State == AgentState.LoggedOut)
        {
            RemoveAgent(presence.AgentId);
        }
        else
        {
            SetAgent(presence.AgentId, presence.Version, presence.State, presence.Candidate);
        }

        Publish();
        return Task.CompletedTask;
    }

    public Task WakeAsync() => Task.CompletedTask;

    public async Task ConfigurationChangedAsync()
    {
        var definition = directory.FindQueue(QueueId);
        if (definition is null || _state is null || ReferenceEquals(definition, _state.Definition))
        {
            if (_state is null && definition is not null)
            {
                _state = NewState(definition);
            }

            return;
        }

        var next = NewState(definition);
        next.Restore(_state.Snapshot());
        next.RecordHandleTime(_state.RecentHandleTime);
        _state = next;
        await DispatchAsync(null);
        await PersistAsync();
    }

    // ---- inside ----

    private QueueState State() => _state ?? throw new RoutingNotFoundException("queue", QueueId);

    /// <summary>A state for the queue's definition whose changes of the line the journal hears of.</summary>
    private QueueState NewState(QueueDefinition definition) =>
        new(definition, RoutingStrategy.Create(definition.Strategy)) { Touched = _log.Touched };

    private void SetExtras(string callId, QueueCallExtras extras)
    {
        _extras[callId] = extras;
        _log.Touched.Add(callId);
    }

    private void DropExtras(string callId)
    {
        _extras.Remove(callId);
        _log.Touched.Add(callId);
    }

    /// <summary>
    /// Reserves available agents for waiting calls until no available agent is eligible for any of them
    /// (or, given <paramref name="only"/>, for that call).
    /// Returns the reservation of <paramref name="inlineCallId"/> (told to the caller in the reply); every
    /// other call hears of its reservation one way.
    /// </summary>
    private async Task<ReservationNotice?> DispatchAsync(string? inlineCallId, WaitingCall? only = null)
    {
        var state = _state!;
        ReservationNotice? inline = null;
        // Every refusal takes one candidate away, so this ends: with a reservation for every call an available
        // agent may take, or with no candidate left.
        while (state.Count > 0)
        {
            var candidates = Candidates();
            if (candidates.Length == 0)
            {
                break;
            }

            var now = time.GetUtcNow();
            _reservations.Clear();
            using (var match = RoutingTelemetry.ActivitySource.StartActivity("switchboard.queue.match"))
            {
                match?.SetTag(RoutingTelemetry.QueueAttribute, QueueId);
                match?.SetTag(RoutingTelemetry.StrategyAttribute, state.Strategy.Kind.ToString());
                if (only is null)
                {
                    state.Match(candidates, now, _reservations);
                }
                else if (state.MatchCall(only, candidates, now, out var single))
                {
                    _reservations.Add(single);
                }
            }

            if (_reservations.Count == 0)
            {
                break;
            }

            var matched = _reservations.ToArray();
            var refused = false;
            foreach (var reservation in matched)
            {
                RoutingTelemetry.QueueDepth.Add(-1, _queueTag);
                ReservationReply reply;
                try
                {
                    reply = await GrainFactory.GetGrain<IAgentRouting>(reservation.AgentId).TryReserveAsync(Offer(reservation.Entry));
                }
                catch (Exception exception)
                {
                    Log.ReservationFailed(logger, exception, QueueId, reservation.AgentId, reservation.CallId);
                    reply = ReservationReply.Refused;
                }

                if (!reply.Reserved)
                {
                    // The agent moved on since it last told us: forget it as a candidate, the call keeps its place.
                    if (_agents.TryGetValue(reservation.AgentId, out var known))
                    {
                        SetAgent(reservation.AgentId, known.Version, known.State, null);
                    }

                    state.Return(reservation.Entry, null);
                    RoutingTelemetry.QueueDepth.Add(1, _queueTag);
                    refused = true;
                    continue;
                }

                Offering(reservation.CallId, reservation.Entry, reservation.AgentId, reply.OfferId);
                if (_agents.TryGetValue(reservation.AgentId, out var agent))
                {
                    SetAgent(reservation.AgentId, agent.Version, AgentState.Reserved, null);
                }

                var notice = new ReservationNotice(reservation.AgentId, reply.OfferId!, reply.ExpiresAt, reply.Station, reply.Mode, QueueId);
                if (string.Equals(reservation.CallId, inlineCallId, StringComparison.Ordinal))
                {
                    inline = notice;
                }
                else
                {
                    Forget(GrainFactory.GetGrain<ICallRouting>(reservation.CallId).ReservedAsync(notice));
                }
            }

            if (!refused)
            {
                break;
            }
        }

        return inline;
    }

    private ReadOnlySpan<AgentCandidate> Candidates() => new(_candidates, 0, _available);

    private int FindCandidate(string agentId) => Candidates().BinarySearch(new CandidateId(agentId));

    private readonly struct CandidateId(string agentId) : IComparable<AgentCandidate>
    {
        public int CompareTo(AgentCandidate other) => string.CompareOrdinal(agentId, other.AgentId);
    }

    private long VersionOf(string agentId) => _agents.TryGetValue(agentId, out var known) ? known.Version : 0;

    /// <summary>Records an agent's presence, keeping the counts by state and the candidate list in step.</summary>
    private void SetAgent(string agentId, long version, AgentState state, AgentCandidate? candidate)
    {
        if (_agents.TryGetValue(agentId, out var slot))
        {
            Forget(agentId, slot);
        }
        else
        {
            slot = new AgentSlot();
            _agents.Add(agentId, slot);
        }

        slot.Version = version;
        slot.State = state;
        slot.IsCandidate = candidate is not null;
        _byState[(int)state]++;
        if (candidate is { } added)
        {
            var at = ~FindCandidate(agentId);
            if (_available == _candidates.Length)
            {
                Array.Resize(ref _candidates, _candidates.Length * 2);
            }

            Array.Copy(_candidates, at, _candidates, at + 1, _available - at);
            _candidates[at] = added;
            _available++;
        }
    }

    private void RemoveAgent(string agentId)
    {
        if (_agents.Remove(agentId, out var slot))
        {
            Forget(agentId, slot);
        }
    }

    /// <summary>Takes an agent's current presence out of the counts by state and the candidate list.</summary>
    private void Forget(string agentId, AgentSlot slot)
    {
        _byState[(int)slot.State]--;
        if (slot.IsCandidate)
        {
            var at = FindCandidate(agentId);
            Array.Copy(_candidates, at + 1, _candidates, at, _available - at - 1);
            _available--;
            _candidates[_available] = default;
            slot.IsCandidate = false;
        }
    }

    /// <summary>What the queue knows of one agent: the newest presence version seen, its state, whether it is a candidate.</summary>
    private sealed class AgentSlot
    {
        public long Version;
        public AgentState State;
        public bool IsCandidate;
    }

    private OfferRequest Offer(WaitingCall entry)
    {
        var extras = _extras.GetValueOrDefault(entry.CallId);
        return new OfferRequest(entry.CallId, QueueId, entry.Call.CallerNumber, entry.Call.Tier, entry.IsCallback,
            extras?.RepeatCall ?? false, extras?.CallData ?? ImmutableDictionary<string, string>.Empty,
            entry.Call.Language, entry.EnqueuedAt, extras?.DialedNumber);
    }

    private EnqueueReply Reply(string callId, ReservationNotice? reservation)
    {
        if (reservation is not null)
        {
            return new EnqueueReply(0, null, reservation);
        }

        var entry = _state!.Find(callId);
        if (entry is null)
        {
            return new EnqueueReply(0, null, null);
        }

        var position = Position(entry, time.GetUtcNow());
        return new EnqueueReply(position.Position, position.EstimatedWait, null);
    }

    private CallPosition Position(WaitingCall entry, DateTimeOffset now)
    {
        var state = _state!;
        var position = state.PositionOf(entry.CallId, now);
        return new CallPosition(entry.CallId, QueueId, position, state.EstimatedWaitAt(position, AgentsStaffed()), entry.EnqueuedAt, entry.IsCallback);
    }

    private int AgentsStaffed() =>
        _byState[(int)AgentState.Available] + _byState[(int)AgentState.Reserved] + _byState[(int)AgentState.OnCall] + _byState[(int)AgentState.WrapUp];

    /// <summary>
    /// Makes the line durable: one journal record of the calls that changed since the last one (a long line costs no
    /// more than a short one), and every <see cref="CheckpointEvery"/> records a checkpoint of the whole line, from
    /// which activation replays the records after it.
    /// </summary>
    private async Task PersistAsync()
    {
        var state = _state!;
        var change = _log.Changes(state, _offered, _extras);
        if (change is not null || _checkpointNeeded)
        {
            try
            {
                if (_checkpointNeeded || _changesSinceCheckpoint >= CheckpointEvery)
                {
                    await CheckpointAsync(state);
                }
                else
                {
                    await journal.AppendAsync([RoutingJournal.Entry(RoutingJournal.QueueLine, time.GetUtcNow(), change!)]);
                    _changesSinceCheckpoint++;
                }
            }
            catch (Exception exception)
            {
                // The log moved on but the store did not: the next write is a whole checkpoint. A stream or state that
                // another activation wrote makes this one stale for good: it goes (StaleActivationFilter, for calls).
                _checkpointNeeded = true;
                if (exception is Orleans.Storage.InconsistentStateException)
                {
                    DeactivateOnIdle();
                }

                throw;
            }
        }

        EnsureTick();
        Publish();
    }

    private const int CheckpointEvery = 256;

    private async Task CheckpointAsync(QueueState state)
    {
        stored.State = new QueueGrainState
        {
            Waiting = [.. state.Waiting],
            Offered = [.. _offered.Values],
            Extras = new Dictionary<string, QueueCallExtras>(_extras, StringComparer.Ordinal),
            RecentHandleTime = state.RecentHandleTime,
            ReplayFrom = journal.LastSequence + 1,
        };
        await stored.WriteStateAsync();
        _changesSinceCheckpoint = 0;
        _checkpointNeeded = false;
    }

    private void EnsureTick()
    {
        var busy = _state is { Count: > 0 } || _offered.Count > 0;
        if (busy && _tick is null)
        {
            // One shot, armed again by each tick from inside its turn: ticks stay on whole periods of the clock
            // (a periodic timer re-arms after its turn, and a virtual clock may have moved on by then).
            _tick = this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(options.Value.QueueTick, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else if (!busy && _tick is not null)
        {
            _tick.Dispose();
            _tick = null;
        }
    }

    /// <summary>The watchdog: max wait per call, then a match for eligibility that changed with time alone.</summary>
    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        _tick?.Dispose();
        _tick = null;
        if (_state is not { } state)
        {
            return;
        }

        var now = time.GetUtcNow();
        _expired.Clear();
        var expired = state.ExpireWaits(now, _expired);
        foreach (var entry in _expired)
        {
            if (!entry.IsCallback)
            {
                RoutingTelemetry.QueueDepth.Add(-1, _queueTag);
                DropExtras(entry.CallId);
            }

            Forget(GrainFactory.GetGrain<ICallRouting>(entry.CallId).MaxWaitReachedAsync(QueueId));
        }

        var before = state.Count;
        if (before > 0)
        {
            await DispatchAsync(null);
        }

        Announce(now);

        if (expired > 0 || state.Count != before)
        {
            await PersistAsync();
        }
        else
        {
            EnsureTick();
            Publish();
        }
    }

    /// <summary>
    /// Every <see cref="QueueDefinition.PositionAnnouncementInterval"/> (else <see cref="RoutingOptions.PositionAnnouncementInterval"/>),
    /// each waiting caller hears their place again; zero: never.
    /// </summary>
    private void Announce(DateTimeOffset now)
    {
        if (_state is not { Count: > 0 } state
            || (state.Definition.PositionAnnouncementInterval ?? options.Value.PositionAnnouncementInterval) is not { } interval
            || interval <= TimeSpan.Zero || now - _lastAnnouncement < interval)
        {
            return;
        }

        _lastAnnouncement = now;
        var order = state.OrderAt(now);
        var staffed = AgentsStaffed();
        for (var i = 0; i < order.Count; i++)
        {
            if (!order[i].IsCallback)
            {
                var wait = staffed > 0 ? state.RecentHandleTime * (i + 1) / staffed : (TimeSpan?)null;
                Forget(GrainFactory.GetGrain<ICallRouting>(order[i].CallId).AnnouncePositionAsync(i + 1, wait));
            }
        }
    }

    private QueueStatus Status()
    {
        var state = _state!;
        var now = time.GetUtcNow();
        var byState = AgentStateCounts.From(_byState);

        // Neither walks the line: the count is kept as it changes, the oldest is among the first of each priority.
        var oldest = state.OldestEnqueuedAt();
        var longest = oldest is { } at && now > at ? now - at : TimeSpan.Zero;
        return new QueueStatus(now, ++_version, QueueId, state.Count, state.CallbackCount, _offered.Count, oldest, longest,
            byState, _available, state.RecentHandleTime);
    }

    private void Publish()
    {
        if (_state is null)
        {
            return;
        }

        var status = Status();
        var key = TopicKey;
        foreach (var topic in _topics)
        {
            topic.Publish(key, status);
        }
    }

    private void Forget(Task task) => OneWay.Observe(task, logger);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Warning, Message = "Queue {QueueId} could not reserve agent {AgentId} for call {CallId}")]
        public static partial void ReservationFailed(ILogger logger, Exception exception, string queueId, string agentId, string callId);
    }
}
