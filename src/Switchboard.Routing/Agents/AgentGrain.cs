using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using Switchboard.Routing.Telemetry;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Agents;

/// <summary>
/// One agent: an <see cref="AgentStateMachine"/> whose every transition is appended to the agent's journal before
/// anyone hears of it (rebuilt from the journal on activation). Reservations arrive from queues through
/// <see cref="TryReserveAsync"/>, which interleaves with the agent's own turns: every turn changes the state
/// machine before its first await, so a reservation always sees the state as it is.
/// </summary>
internal sealed partial class AgentGrain(
    [PersistentState("agent")] IPersistentState<AgentCheckpoint> checkpoint,
    [GrainJournal] IGrainJournal journal,
    CenterDirectory directory,
    ITopicHub streams,
    TimeProvider time,
    IOptions<RoutingOptions> options,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain, IAgentRouting
{
    private readonly JournalChain _journal = new(journal);
    private readonly RoutingOptions _options = options.Value;
    private AgentStateMachine? _machine;
    private AgentOffer? _offer;
    private string? _station;
    private OfferMode _mode;
    private bool _deskConnected;
    private string? _pending;
    // When the last offer was made: with the current call and the agent, it spells the offer's id, so a retried
    // accept is recognised without the grain keeping a new string per call. (The grain is long-lived; a young
    // object in one of its fields marks a card that every gen0 collection scans until the next gen1.)
    private long _lastOfferTicks;
    private long _version;
    private string[] _queues = [];
    private IGrainTimer? _offerTimer;
    private IGrainTimer? _wrapUpTimer;
    private IGrainTimer? _graceTimer;
    private ITopic<StatusUpdate>[] _topics = [];

    private string? _topicKey;

    private string AgentId => this.GetPrimaryKeyString();

    // The agent's key inside its topics, built once (it was a new string on every change).
    private string TopicKey => _topicKey ??= RoutingTopics.AgentKey(AgentId);

    private bool CanTakeOffers => _machine is { CanReserve: true } && _deskConnected;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var profile = directory.FindAgent(AgentId);
        if (profile is null)
        {
            return;
        }

        var events = new List<AgentEvent>();
        DateTimeOffset? first = checkpoint.State.Since;
        await foreach (var record in journal.ReadAsync(checkpoint.State.ReplayFrom, cancellationToken))
        {
            first ??= record.Timestamp;
            switch (record.Type)
            {
                case RoutingJournal.AgentOfferRecord:
                    _offer = RoutingJournal.Read<AgentOffer>(record);
                    _lastOfferTicks = OfferTicks(_offer.OfferId);
                    break;
                case RoutingJournal.AgentSession:
                    var session = RoutingJournal.Read<AgentSessionRecord>(record);
                    (_station, _mode, _deskConnected) = (session.Station, session.Mode, session.DeskConnected);
                    break;
                case RoutingJournal.AgentPending:
                    _pending = RoutingJournal.Read<AgentPendingRecord>(record).ReasonCode;
                    break;
                default:
                    if (RoutingJournal.ReadEvent(record) is AgentEvent e)
                    {
                        events.Add(e);
                    }

                    break;
            }
        }

        _machine = AgentStateMachine.Rebuild(profile, first ?? time.GetUtcNow(), events);
        if (_machine.State != AgentState.Reserved)
        {
            _offer = null;
        }

        Attach(profile);
        ArmTimers();
        if (_machine.State != AgentState.LoggedOut && !_deskConnected)
        {
            ArmGrace();
        }

        // A logged-out agent told its queues so before it was deactivated; waking it (a
        // directory lookup, a status read) has nothing new to tell them.
        AfterChange(tellQueues: _machine.State != AgentState.LoggedOut);
    }

    // ---- desk (IAgentGrain) ----

    public async Task<AgentStatus> LoginAsync(AgentLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (string.IsNullOrWhiteSpace(login.Station))
        {
            throw new ArgumentException($"agent {AgentId} needs a station to log in", nameof(login));
        }

        var machine = Machine();
        if (machine.State == AgentState.LoggedOut && directory.FindAgent(AgentId) is { Disabled: true })
        {
            throw new AgentStateException("agent-disabled", AgentId, machine.State, "login",
                $"agent {AgentId} is disabled in the center configuration and cannot log in");
        }

        if (machine.State != AgentState.LoggedOut)
        {
            if (string.Equals(_station, login.Station, StringComparison.Ordinal) && _mode == login.OfferMode)
            {
                return Status();
            }

            throw new AgentStateException("already-logged-in", AgentId, machine.State, "login",
                $"agent {AgentId} is already logged in at station {_station} (state {machine.State})");
        }

        var now = time.GetUtcNow();
        var events = machine.Login(now);
        (_station, _mode, _deskConnected) = (login.Station, login.OfferMode, true);
        _pending = null;
        await CommitAsync(events, [Session(now), RoutingJournal.Entry(RoutingJournal.AgentPending, now, new AgentPendingRecord(null))]);
        return Status();
    }

    public async Task<AgentStatus> LogoutAsync()
    {
        var machine = Machine();
        if (machine.State == AgentState.LoggedOut)
        {
            return Status();
        }

        var now = time.GetUtcNow();
        var events = machine.Logout(now);
        _station = null;
        _deskConnected = false;
        _graceTimer?.Dispose();
        _graceTimer = null;
        await CommitAsync(events, [Session(now)]);

        // A logged-out agent needs nothing from before: the next activation replays from here. Its accumulated
        // time per state (occupancy) starts again with the next login.
        checkpoint.State = new AgentCheckpoint { ReplayFrom = journal.LastSequence + 1, Since = now };
        await checkpoint.WriteStateAsync();
        return Status();
    }

    public async Task<AgentStatus> SetReadyAsync()
    {
        var machine = Machine();
        if (machine.State is AgentState.Reserved or AgentState.OnCall or AgentState.WrapUp && _pending is not null)
        {
            // Going ready while busy cancels a pending not-ready.
            var now0 = time.GetUtcNow();
            _pending = null;
            await CommitAsync([], [RoutingJournal.Entry(RoutingJournal.AgentPending, now0, new AgentPendingRecord(null))]);
            return Status();
        }

        var events = machine.SetReady(time.GetUtcNow());
        await CommitAsync(events, []);
        return Status();
    }

    public async Task<AgentStatus> SetNotReadyAsync(string reasonCode)
    {
        var machine = Machine();
        CheckReasonCode(reasonCode);
        var now = time.GetUtcNow();
        if (machine.State is AgentState.Reserved or AgentState.OnCall or AgentState.WrapUp)
        {
            _pending = reasonCode;
            await CommitAsync([], [RoutingJournal.Entry(RoutingJournal.AgentPending, now, new AgentPendingRecord(reasonCode))]);
            return Status();
        }

        var events = machine.SetNotReady(reasonCode, now);
        await CommitAsync(events, []);
        return Status();
    }

    public async Task<AgentStatus> AcceptOfferAsync(string offerId)
    {
        if (Machine().State == AgentState.OnCall && IsLastOffer(offerId))
        {
            // Accepting an offer already answered succeeds (a retried request).
            return Status();
        }

        var offer = CurrentOffer(offerId, "accept");
        if (_mode == OfferMode.AcceptOnDesk)
        {
            await GrainFactory.GetGrain<ICallRouting>(offer.CallId).AcceptedOnDeskAsync(AgentId, offerId);
        }

        return Status();
    }

    public async Task<AgentStatus> RejectOfferAsync(string offerId)
    {
        var offer = CurrentOffer(offerId, "reject");
        var events = Machine().Reject(offer.CallId, time.GetUtcNow());
        _offer = null;
        await CommitAsync(events, []);
        Forget(GrainFactory.GetGrain<ICallRouting>(offer.CallId).OfferFailedAsync(AgentId, offer.OfferId, offer.QueueId, OfferFailure.Rejected));
        return Status();
    }

    public async Task<AgentStatus> HoldAsync()
    {
        var machine = Machine();
        if (machine.State != AgentState.OnCall)
        {
            throw new AgentStateException("not-on-call", AgentId, machine.State, "hold", $"agent {AgentId} cannot hold: it is not on a call (state {machine.State})");
        }

        if (!machine.OnHold)
        {
            await GrainFactory.GetGrain<ICallRouting>(machine.CallId!).HoldFromDeskAsync(AgentId, true);
        }

        return Status();
    }

    public async Task<AgentStatus> ResumeAsync()
    {
        var machine = Machine();
        if (machine.State != AgentState.OnCall)
        {
            throw new AgentStateException("not-on-call", AgentId, machine.State, "resume", $"agent {AgentId} cannot resume: it is not on a call (state {machine.State})");
        }

        if (machine.OnHold)
        {
            await GrainFactory.GetGrain<ICallRouting>(machine.CallId!).HoldFromDeskAsync(AgentId, false);
        }

        return Status();
    }

    public async Task<AgentStatus> TransferAsync(TransferTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var machine = Machine();
        if (machine.State != AgentState.OnCall)
        {
            throw new AgentStateException("not-on-call", AgentId, machine.State, "transfer",
                $"agent {AgentId} cannot transfer: it is not on a call (state {machine.State})");
        }

        var callId = machine.CallId!;
        await GrainFactory.GetGrain<ICallRouting>(callId).TransferAsync(AgentId, target);
        await EndCallAsync(callId);
        return Status();
    }

    public async Task<AgentStatus> FinishWrapUpAsync(string callId, string? notReadyReason = null, string? dispositionCode = null, string? notes = null)
    {
        var machine = Machine();
        if (notReadyReason is not null)
        {
            CheckReasonCode(notReadyReason);
        }

        if (string.Equals(callId, machine.LastWrappedCallId, StringComparison.Ordinal)
            && !(machine.State == AgentState.WrapUp && string.Equals(machine.CallId, callId, StringComparison.Ordinal)))
        {
            // This call's wrap-up is already over (a retried request): succeed without touching a later call.
            return Status();
        }

        if (machine.State != AgentState.WrapUp)
        {
            throw new AgentStateException("not-in-wrap-up", AgentId, machine.State, "finish wrap-up",
                $"agent {AgentId} cannot finish wrap-up of call {callId}: it is not in wrap-up (state {machine.State})");
        }

        if (!string.Equals(machine.CallId, callId, StringComparison.Ordinal))
        {
            throw new AgentStateException("wrong-call", AgentId, machine.State, "finish wrap-up",
                $"agent {AgentId} cannot finish wrap-up of call {callId}: it is wrapping up call {machine.CallId}");
        }

        CheckDisposition(callId, machine.QueueId, dispositionCode);
        if (dispositionCode is not null || !string.IsNullOrEmpty(notes))
        {
            // The outcome is the call's record: journaled there before the agent moves on.
            await GrainFactory.GetGrain<ICallRouting>(callId).RecordDispositionAsync(AgentId, dispositionCode, string.IsNullOrEmpty(notes) ? null : notes);
        }

        var now = time.GetUtcNow();
        var reason = notReadyReason ?? _pending ?? (_deskConnected ? null : AgentReasonCodes.Disconnected);
        var events = machine.FinishWrapUp(now, reason);
        var hadPending = _pending is not null;
        _pending = null;
        await CommitAsync(events, hadPending ? [RoutingJournal.Entry(RoutingJournal.AgentPending, now, new AgentPendingRecord(null))] : []);
        return Status();
    }

    public async Task<AgentStatus> DeskConnectedAsync()
    {
        var machine = Machine();
        _graceTimer?.Dispose();
        _graceTimer = null;
        if (_deskConnected || machine.State == AgentState.LoggedOut)
        {
            return Status();
        }

        _deskConnected = true;
        await CommitAsync([], [Session(time.GetUtcNow())]);
        return Status();
    }

    public async Task<AgentStatus> DeskDisconnectedAsync()
    {
        var machine = Machine();
        if (!_deskConnected || machine.State == AgentState.LoggedOut)
        {
            return Status();
        }

        _deskConnected = false;
        await CommitAsync([], [Session(time.GetUtcNow())]);
        ArmGrace();
        return Status();
    }

    public Task<AgentStatus> GetStatusAsync()
    {
        Machine();
        return Task.FromResult(Status());
    }

    // ---- routing (IAgentRouting) ----

    public async Task<ReservationReply> TryReserveAsync(OfferRequest offer)
    {
        if (!CanTakeOffers || _machine is null)
        {
            return ReservationReply.Refused;
        }

        using var activity = RoutingTelemetry.ActivitySource.StartActivity("switchboard.agent.reserve");
        activity?.SetTag("switchboard.agent", AgentId);
        activity?.SetTag("switchboard.call", offer.CallId);
        var now = time.GetUtcNow();
        var queue = directory.FindQueue(offer.QueueId);
        var expires = now + (queue?.OfferTimeout ?? QueueDefinition.DefaultOfferTimeout);
        var events = _machine.Reserve(offer.CallId, offer.QueueId, now, expires);
        var offerId = OfferId(offer.CallId, now.UtcTicks);
        _lastOfferTicks = now.UtcTicks;
        _offer = new AgentOffer(offerId, offer.CallId, offer.QueueId, offer.CallerNumber, offer.Tier, now, expires, offer.IsCallback, offer.RepeatCall,
            offer.CallData, offer.Language, offer.ArrivedAt, offer.DialedNumber);
        try
        {
            await CommitAsync(events, [RoutingJournal.Entry(RoutingJournal.AgentOfferRecord, now, _offer)]);
        }
        catch (Exception)
        {
            return ReservationReply.Refused;
        }

        return new ReservationReply(true, offerId, expires, _station ?? "", _mode);
    }

    public async Task OfferNeverRangAsync(string offerId)
    {
        var machine = Machine();
        // Only while the agent is still where that ring-out left it: nothing since, no not-ready asked for.
        if (machine.State != AgentState.NotReady || machine.ReasonCode != AgentReasonCodes.MissedOffer
            || _pending is not null || OfferTicks(offerId) != _lastOfferTicks)
        {
            return;
        }

        Log.OfferNeverRang(logger, AgentId, offerId);
        await CommitAsync(machine.SetReady(time.GetUtcNow()), []);
    }

    public async Task CallAnsweredAsync(string callId)
    {
        var machine = Machine();
        if (machine.State != AgentState.Reserved || !string.Equals(machine.CallId, callId, StringComparison.Ordinal))
        {
            Log.UnexpectedCallEvent(logger, AgentId, "answered", callId, machine.State, machine.CallId);
            return;
        }

        var events = machine.Answer(callId, time.GetUtcNow());
        _offer = null;
        await CommitAsync(events, []);
    }

    public Task CallEndedAsync(string callId)
    {
        var machine = Machine();
        if (machine.State != AgentState.OnCall || !string.Equals(machine.CallId, callId, StringComparison.Ordinal))
        {
            Log.UnexpectedCallEvent(logger, AgentId, "ended", callId, machine.State, machine.CallId);
            return Task.CompletedTask;
        }

        return EndCallAsync(callId);
    }

    public async Task OfferWithdrawnAsync(string callId, bool missed)
    {
        var machine = Machine();
        if (machine.State != AgentState.Reserved || !string.Equals(machine.CallId, callId, StringComparison.Ordinal))
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = missed ? machine.OfferTimeout(callId, now) : machine.CancelOffer(callId, now);
        _offer = null;
        await CommitAsync(events, []);
    }

    public async Task CallHoldChangedAsync(string callId, bool onHold)
    {
        var machine = Machine();
        if (machine.State != AgentState.OnCall || machine.OnHold == onHold || !string.Equals(machine.CallId, callId, StringComparison.Ordinal))
        {
            return;
        }

        var now = time.GetUtcNow();
        await CommitAsync(onHold ? machine.Hold(now) : machine.Unhold(now), []);
    }

    public async Task FindWorkAsync()
    {
        if (_machine is null)
        {
            return;
        }

        for (var attempt = 0; attempt < 8 && CanTakeOffers && _queues.Length > 0; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            var candidate = AgentCandidate.From(_machine, time.GetUtcNow());
            var claims = new Task<QueueClaim?>[_queues.Length];
            for (var i = 0; i < _queues.Length; i++)
            {
                claims[i] = GrainFactory.GetGrain<IQueueRouting>(_queues[i]).ClaimAsync(candidate);
            }

            await Task.WhenAll(claims);
            QueueClaim? best = null;
            foreach (var claim in claims)
            {
                if (claim.Result is { } c && (best is null || CrossQueueArbitration.Compare(c, best.Value) < 0))
                {
                    best = c;
                }
            }

            if (best is not { } chosen || !CanTakeOffers)
            {
                return;
            }

            var queue = GrainFactory.GetGrain<IQueueRouting>(chosen.QueueId);
            var offer = await queue.TakeAsync(chosen.CallId, AgentCandidate.From(_machine, time.GetUtcNow()));
            if (offer is null)
            {
                continue;
            }

            var reply = await TryReserveAsync(offer);
            if (!reply.Reserved)
            {
                await queue.ReleaseAsync(offer.CallId);
                return;
            }

            RoutingTelemetry.RoutingDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(RoutingTelemetry.QueueAttribute, offer.QueueId),
                new KeyValuePair<string, object?>("switchboard.routing.trigger", "agent"));
            Forget(GrainFactory.GetGrain<ICallRouting>(offer.CallId).ReservedAsync(
                new ReservationNotice(AgentId, reply.OfferId!, reply.ExpiresAt, reply.Station, reply.Mode, offer.QueueId)));
            return;
        }
    }

    public Task ReportPresenceAsync(string queueId)
    {
        if (_machine is not null && Array.IndexOf(_queues, queueId) >= 0)
        {
            Forget(GrainFactory.GetGrain<IQueueRouting>(queueId).AgentChangedAsync(Presence()));
        }

        return Task.CompletedTask;
    }

    public Task ProfileChangedAsync()
    {
        var profile = directory.FindAgent(AgentId);
        if (profile is null || _machine is null)
        {
            // Removed (only allowed while logged out) or never configured: leave the queues.
            foreach (var queue in _queues)
            {
                Forget(GrainFactory.GetGrain<IQueueRouting>(queue).AgentChangedAsync(new AgentPresence(AgentId, ++_version, AgentState.LoggedOut, null)));
            }

            _queues = [];
            if (profile is not null)
            {
                _machine = new AgentStateMachine(profile, time.GetUtcNow());
                Attach(profile);
            }

            return Task.CompletedTask;
        }

        var old = _queues;
        _machine.UpdateProfile(profile);
        Attach(profile);
        foreach (var queue in old)
        {
            if (Array.IndexOf(_queues, queue) < 0)
            {
                Forget(GrainFactory.GetGrain<IQueueRouting>(queue).AgentChangedAsync(new AgentPresence(AgentId, ++_version, AgentState.LoggedOut, null)));
            }
        }

        AfterChange();
        return Task.CompletedTask;
    }

    // ---- inside ----

    private AgentStateMachine Machine()
    {
        if (_machine is not null)
        {
            return _machine;
        }

        // Configured after this activation began (an administrator added the agent).
        var profile = directory.FindAgent(AgentId) ?? throw new RoutingNotFoundException("agent", AgentId);
        _machine = new AgentStateMachine(profile, time.GetUtcNow());
        Attach(profile);
        return _machine;
    }

    private void Attach(AgentProfile profile)
    {
        _queues = directory.QueuesFor(profile);
        _topics =
        [
            streams.GetTopic<StatusUpdate>(RoutingTopics.Agent(AgentId)),
            streams.GetTopic<StatusUpdate>(RoutingTopics.Team(profile.TeamId)),
            streams.GetTopic<StatusUpdate>(RoutingTopics.Vendor(profile.VendorId)),
            streams.GetTopic<StatusUpdate>(RoutingTopics.Center),
        ];
    }

    /// <summary>A disposition must be one the center defines, and a queue that requires one gets one.</summary>
    private void CheckDisposition(string callId, string? queueId, string? dispositionCode)
    {
        if (dispositionCode is not null && !directory.Configuration.Dispositions.Contains(dispositionCode))
        {
            throw new RoutingException("invalid-disposition",
                $"agent {AgentId} cannot finish wrap-up of call {callId} with disposition '{dispositionCode}': it is not a disposition code of this center");
        }

        if (dispositionCode is null && queueId is not null && directory.FindQueue(queueId) is { DispositionRequired: true })
        {
            throw new RoutingException("disposition-required",
                $"agent {AgentId} cannot finish wrap-up of call {callId} without a disposition code: queue {queueId} requires one");
        }
    }

    private void CheckReasonCode(string reasonCode)
    {
        if (string.IsNullOrWhiteSpace(reasonCode))
        {
            throw new ArgumentException($"agent {AgentId}: a not-ready reason code is required", nameof(reasonCode));
        }

        if (reasonCode is AgentReasonCodes.MissedOffer or AgentReasonCodes.Disconnected)
        {
            throw new AgentStateException("system-reason-code", AgentId, Machine().State, "go not ready",
                $"agent {AgentId} cannot go not ready with '{reasonCode}': it is set by the server only");
        }

        if (reasonCode != AgentReasonCodes.LoggedIn && !directory.Configuration.ReasonCodes.Contains(reasonCode))
        {
            throw new RoutingNotFoundException("reason-code", reasonCode, $"known: {string.Join(", ", directory.Configuration.ReasonCodes)}");
        }
    }

    // An offer's id spells its call, its agent and when it was made; written in one place, for both the id made and
    // the id recognised.
    private bool TryWriteOfferId(Span<char> destination, string callId, long ticks, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{callId}@{AgentId}@{ticks}", out written);

    private string OfferId(string callId, long ticks)
    {
        // Room for both ids, two separators and any long.
        var length = callId.Length + AgentId.Length + 22;
        var buffer = length <= 512 ? stackalloc char[length] : new char[length];
        TryWriteOfferId(buffer, callId, ticks, out var written);
        return new string(buffer[..written]);
    }

    private static long OfferTicks(string offerId) =>
        long.TryParse(offerId.AsSpan(offerId.LastIndexOf('@') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : -1;

    /// <summary>True when <paramref name="offerId"/> is the id of the offer of the current call (no string built).</summary>
    private bool IsLastOffer(string offerId)
    {
        if (Machine().CallId is not { } callId || offerId.Length > callId.Length + AgentId.Length + 22)
        {
            // Longer than any id this grain makes for the current call.
            return false;
        }

        var expected = offerId.Length <= 512 ? stackalloc char[offerId.Length] : new char[offerId.Length];
        return TryWriteOfferId(expected, callId, _lastOfferTicks, out var written)
            && written == offerId.Length && expected.SequenceEqual(offerId);
    }

    private AgentOffer CurrentOffer(string offerId, string action)
    {
        var machine = Machine();
        if ((machine.State != AgentState.Reserved || _offer is null) && !IsLastOffer(offerId))
        {
            // Not an offer this agent ever had (another agent's, or made up): agent_desk.proto's NOT_FOUND.
            throw new RoutingNotFoundException("offer", offerId, $"agent {AgentId} has no offer with that id");
        }

        if (machine.State != AgentState.Reserved || _offer is null)
        {
            throw new AgentStateException("no-pending-offer", AgentId, machine.State, action,
                $"agent {AgentId} cannot {action} offer {offerId}: it has no pending offer (state {machine.State})");
        }

        if (!string.Equals(_offer.OfferId, offerId, StringComparison.Ordinal))
        {
            throw new RoutingNotFoundException("offer", offerId, $"agent {AgentId}'s pending offer is {_offer.OfferId}");
        }

        return _offer;
    }

    private async Task EndCallAsync(string callId)
    {
        var machine = Machine();
        var maxWrapUp = directory.FindQueue(machine.QueueId ?? "")?.MaxWrapUp ?? TimeSpan.FromSeconds(60);
        var events = machine.EndCall(callId, time.GetUtcNow(), maxWrapUp);
        await CommitAsync(events, []);
    }

    private JournalEntry Session(DateTimeOffset now) =>
        RoutingJournal.Entry(RoutingJournal.AgentSession, now, new AgentSessionRecord(_station, _mode, _deskConnected));

    /// <summary>Journals the events (and records) and only then lets the change take effect: timers, topics, queues.</summary>
    private async Task CommitAsync(IReadOnlyList<AgentEvent> events, IReadOnlyList<JournalEntry> records)
    {
        var entries = new List<JournalEntry>(events.Count + records.Count);
        foreach (var e in events)
        {
            entries.Add(RoutingJournal.Entry(e));
        }

        entries.AddRange(records);
        try
        {
            await _journal.AppendAsync(entries);
        }
        catch (Exception exception)
        {
            // The machine moved on but the journal did not: start again from the journal.
            Log.JournalFailed(logger, exception, AgentId);
            DeactivateOnIdle();
            throw;
        }

        ArmTimers();
        AfterChange();
    }

    /// <summary>Publishes the agent's status, tells its queues, and looks for work when it can take a call.</summary>
    private void AfterChange(bool tellQueues = true)
    {
        if (_machine is null)
        {
            return;
        }

        var status = Status();
        var key = TopicKey;
        foreach (var topic in _topics)
        {
            topic.Publish(key, status);
        }

        if (!tellQueues)
        {
            return;
        }

        var presence = Presence();
        foreach (var queue in _queues)
        {
            Forget(GrainFactory.GetGrain<IQueueRouting>(queue).AgentChangedAsync(presence));
        }

        if (CanTakeOffers)
        {
            Forget(GrainFactory.GetGrain<IAgentRouting>(AgentId).FindWorkAsync());
        }
    }

    private AgentPresence Presence() =>
        new(AgentId, _version, _machine!.State, CanTakeOffers ? AgentCandidate.From(_machine, time.GetUtcNow()) : null);

    private AgentStatus Status()
    {
        var m = _machine!;
        return new AgentStatus(
            time.GetUtcNow(), ++_version, AgentId, m.Profile.TeamId, m.Profile.VendorId, m.State, m.StateSince, m.ReasonCode,
            m.CallId, m.QueueId, m.State == AgentState.Reserved ? _offer : null, m.OnHold, m.WrapUpDeadline, _pending,
            _station, _mode, _deskConnected);
    }

    private void ArmTimers()
    {
        var m = _machine!;
        var now = time.GetUtcNow();
        _offerTimer?.Dispose();
        _offerTimer = null;
        _wrapUpTimer?.Dispose();
        _wrapUpTimer = null;
        if (m.State == AgentState.Reserved && m.OfferExpiresAt is { } expires)
        {
            _offerTimer = this.RegisterGrainTimer(OnOfferTimeoutAsync, Due(expires, now), Timeout.InfiniteTimeSpan);
        }
        else if (m.State == AgentState.WrapUp && m.WrapUpDeadline is { } deadline)
        {
            _wrapUpTimer = this.RegisterGrainTimer(OnWrapUpTimeoutAsync, Due(deadline, now), Timeout.InfiniteTimeSpan);
        }
    }

    private void ArmGrace()
    {
        _graceTimer?.Dispose();
        _graceTimer = this.RegisterGrainTimer(OnGraceExpiredAsync, _options.DeskDisconnectGrace, Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Due(DateTimeOffset at, DateTimeOffset now) => at > now ? at - now : TimeSpan.Zero;

    private async Task OnOfferTimeoutAsync(CancellationToken cancellationToken)
    {
        var m = _machine!;
        var now = time.GetUtcNow();
        if (m.State != AgentState.Reserved || m.OfferExpiresAt is not { } expires || now < expires || _offer is null)
        {
            return;
        }

        var offer = _offer;
        Log.OfferRangOut(logger, AgentId, offer.CallId);
        var events = m.OfferTimeout(offer.CallId, now);
        _offer = null;
        await CommitAsync(events, []);
        Forget(GrainFactory.GetGrain<ICallRouting>(offer.CallId).OfferFailedAsync(AgentId, offer.OfferId, offer.QueueId, OfferFailure.NoAnswer));
    }

    private async Task OnWrapUpTimeoutAsync(CancellationToken cancellationToken)
    {
        var m = _machine!;
        var now = time.GetUtcNow();
        if (m.State != AgentState.WrapUp || m.WrapUpDeadline is not { } deadline || now < deadline)
        {
            return;
        }

        var events = new List<AgentEvent>(m.WrapUpTimeout(now));
        var reason = _pending ?? (_deskConnected ? null : AgentReasonCodes.Disconnected);
        if (reason is not null)
        {
            events.AddRange(m.SetNotReady(reason, now));
        }

        var hadPending = _pending is not null;
        _pending = null;
        await CommitAsync(events, hadPending ? [RoutingJournal.Entry(RoutingJournal.AgentPending, now, new AgentPendingRecord(null))] : []);
    }

    private async Task OnGraceExpiredAsync(CancellationToken cancellationToken)
    {
        _graceTimer?.Dispose();
        _graceTimer = null;
        var m = _machine!;
        if (_deskConnected || m.State == AgentState.LoggedOut)
        {
            return;
        }

        var now = time.GetUtcNow();
        Log.DeskGone(logger, AgentId, m.State);
        switch (m.State)
        {
            case AgentState.Available:
            case AgentState.NotReady when m.ReasonCode != AgentReasonCodes.Disconnected:
                await CommitAsync(m.SetNotReady(AgentReasonCodes.Disconnected, now), []);
                break;
            case AgentState.Reserved when _offer is not null:
                var offer = _offer;
                var events = new List<AgentEvent>(m.CancelOffer(offer.CallId, now));
                events.AddRange(m.SetNotReady(AgentReasonCodes.Disconnected, now));
                _offer = null;
                await CommitAsync(events, []);
                Forget(GrainFactory.GetGrain<ICallRouting>(offer.CallId).OfferFailedAsync(AgentId, offer.OfferId, offer.QueueId, OfferFailure.Withdrawn));
                break;
            case AgentState.OnCall:
            case AgentState.WrapUp:
                _pending = AgentReasonCodes.Disconnected;
                await CommitAsync([], [RoutingJournal.Entry(RoutingJournal.AgentPending, now, new AgentPendingRecord(_pending))]);
                break;
        }
    }

    private void Forget(Task task) => OneWay.Observe(task, logger);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Error, Message = "Agent {AgentId}: a journal append failed; the activation restarts from its journal")]
        public static partial void JournalFailed(ILogger logger, Exception exception, string agentId);

        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Agent {AgentId} let the offer of call {CallId} ring out: not ready (missed-offer)")]
        public static partial void OfferRangOut(ILogger logger, string agentId, string callId);

        [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Agent {AgentId}: offer {OfferId} rang out but its call never recorded it (a crash): available again")]
        public static partial void OfferNeverRang(ILogger logger, string agentId, string offerId);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Agent {AgentId}'s desk stayed disconnected past the grace period (state {State})")]
        public static partial void DeskGone(ILogger logger, string agentId, AgentState state);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Agent {AgentId} ignored call event '{Event}' for call {CallId}: state {State}, current call {CurrentCallId}")]
        public static partial void UnexpectedCallEvent(ILogger logger, string agentId, string @event, string callId, AgentState state, string? currentCallId);
    }
}
