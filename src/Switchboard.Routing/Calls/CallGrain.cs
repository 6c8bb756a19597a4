using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Telemetry;

namespace Switchboard.Routing.Calls;

/// <summary>
/// One call: a <see cref="CallStateMachine"/> per leg (a transfer starts a new leg under the same call id), every
/// transition appended to the call's journal before it takes effect (an instruction, a queue or agent told, a
/// reply). Rebuilt from the journal on activation. Tells agents one way (an agent may be waiting on this call).
/// A finished call (completed or abandoned) leaves memory once its turn is over: a late report (a survey score)
/// brings it back from the journal.
/// </summary>
internal sealed partial class CallGrain(
    [GrainJournal] IGrainJournal journal,
    CenterDirectory directory,
    TimeProvider time,
    ILogger<CallGrain> logger) : Grain, ICallGrain, ICallRouting
{
    // The adapter's event ids already applied (retries are answered, not applied twice). Made on the first event
    // that carries one: most calls get none, and a call's grain lives long enough for each of its objects to be
    // copied by a collection or two.
    private HashSet<string>? _eventIds;
    private CallMetaRecord? _meta;
    private CallStateMachine? _machine;
    private ReservationNotice? _notice;
    private string? _callbackNumber;
    private CallDispositionRecord? _disposition;

    private string CallId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var leg = new List<CallEvent>();
        await foreach (var record in journal.ReadAsync(cancellationToken: cancellationToken))
        {
            switch (record.Type)
            {
                case RoutingJournal.CallMeta:
                    _meta = RoutingJournal.Read<CallMetaRecord>(record);
                    break;
                case RoutingJournal.CallOffer:
                    _notice = RoutingJournal.Read<CallOfferRecord>(record).Notice;
                    break;
                case RoutingJournal.CallDisposition:
                    _disposition = RoutingJournal.Read<CallDispositionRecord>(record);
                    break;
                case RoutingJournal.CallReport:
                    (_eventIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(RoutingJournal.Read<CallReportRecord>(record).EventId);
                    break;
                default:
                    if (RoutingJournal.ReadEvent(record) is CallEvent e)
                    {
                        if (e is CallOffered)
                        {
                            leg.Clear();
                        }

                        if (e is CallbackScheduled callback)
                        {
                            _callbackNumber = callback.CallbackNumber;
                        }

                        leg.Add(e);
                    }

                    break;
            }
        }

        if (leg.Count > 0)
        {
            _machine = CallStateMachine.Rebuild(leg);
        }
    }

    // ---- adapter (ICallGrain) ----

    public async Task<OfferCallResult> OfferAsync(CallOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        Validate(offer);
        var skills = offer.Skills.IsDefault ? [] : offer.Skills;
        offer = offer with { Skills = skills, CallData = offer.CallData ?? ImmutableDictionary<string, string>.Empty };
        if (_meta is not null)
        {
            return await DuplicateAsync(offer);
        }

        using var activity = RoutingTelemetry.ActivitySource.StartActivity("switchboard.call.offer");
        activity?.SetTag("switchboard.call", CallId);
        activity?.SetTag(RoutingTelemetry.QueueAttribute, offer.QueueId);
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var arrived = offer.ArrivedAt is { } at && at <= now && now - at <= TimeSpan.FromHours(1) ? at : now;
        var queue = directory.Queue(offer.QueueId);
        await AdmitAsync(queue);
        var history = await HistoryAsync(offer, now);
        var preferred = queue.RepeatCallerWait > TimeSpan.Zero ? Preferred(offer) ?? history.LastAgentId : null;
        var call = new Call(CallId, offer.QueueId, offer.CallerNumber, offer.Tier, queue.SkillsFor(skills), offer.Language, offer.Priority, arrived);
        var machine = CallStateMachine.Offer(call, out var offered);
        var queued = machine.Enqueue(now);
        var meta = new CallMetaRecord(offer, history.RepeatCall, preferred);
        // The call's first records are queued to the store before the queue hears of the call, and their commit runs
        // while the queue routes it (ADR 004). The store commits writes in the order they were queued, so nothing the
        // queue or an agent on this silo writes for the call is durable before them. The reply still waits for both.
        var written = AppendAsync([RoutingJournal.Entry(RoutingJournal.CallMeta, now, meta), .. Entries(offered), .. Entries(queued)]);
        _meta = meta;
        _machine = machine;
        var enqueued = GrainFactory.GetGrain<IQueueRouting>(offer.QueueId).EnqueueAsync(Request(machine.Call));
        try
        {
            await written;
        }
        catch (Exception)
        {
            _meta = null;
            _machine = null;
            await WithdrawAsync(offer.QueueId, enqueued);
            throw;
        }

        RoutingTelemetry.CallsOffered.Add(1, new KeyValuePair<string, object?>(RoutingTelemetry.QueueAttribute, offer.QueueId));
        var reply = await enqueued;
        if (reply.Reservation is { } notice)
        {
            await ApplyReservationAsync(notice);
            RoutingTelemetry.RoutingDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(RoutingTelemetry.QueueAttribute, offer.QueueId),
                new KeyValuePair<string, object?>("switchboard.routing.trigger", "offer"));
        }

        else if (machine.State == CallState.Queued && reply.Position > 0)
        {
            await IssueAsync(new PlayPosition(reply.Position, reply.EstimatedWait), expires: false);
        }

        return new OfferCallResult(CallId, machine.State, reply.Position, reply.EstimatedWait, false, history.RepeatCall, machine.AgentId);
    }

    public Task<CallSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<CallSnapshot> AnsweredAsync(string? eventId = null, string? agentId = null)
    {
        var machine = Machine();
        if (agentId is not null)
        {
            machine.RequireAgent("answer", agentId);
        }

        if (Seen(eventId) || machine.State == CallState.Answered)
        {
            return Snapshot(duplicate: true);
        }

        var now = time.GetUtcNow();
        var reserved = machine.AgentId;
        var events = machine.Answer(now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now), Offer(null, now)]);
        _notice = null;
        RoutingTelemetry.CallsAnswered.Add(1, new KeyValuePair<string, object?>(RoutingTelemetry.QueueAttribute, machine.Call.QueueId));
        Forget(GrainFactory.GetGrain<IAgentRouting>(reserved!).CallAnsweredAsync(CallId));
        foreach (var caller in CallerKeys(_meta!.Offer))
        {
            Forget(GrainFactory.GetGrain<ICallerGrain>(caller).CallAnsweredAsync(reserved!, now));
        }

        await GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).RemoveAsync(CallId);
        return Snapshot();
    }

    public async Task<CallSnapshot> AgentNoAnswerAsync(string? eventId = null, string? agentId = null)
    {
        var machine = Machine();
        if (Seen(eventId) || machine.State is not (CallState.Reserved or CallState.Ringing))
        {
            return Snapshot(duplicate: true);
        }

        if (agentId is not null && !string.Equals(agentId, machine.AgentId, StringComparison.Ordinal))
        {
            // An agent the call is not ringing did not fail to answer it: the call stays with its agent.
            throw new CallStateException("not-on-this-call", CallId, machine.State, "agent no-answer",
                $"call {CallId} is ringing agent {machine.AgentId}, not {agentId}");
        }

        var ringing = machine.AgentId!;
        await OfferFailedCoreAsync(ringing, OfferFailure.NoAnswer, eventId, AgentRelease.Missed, cancelRing: false, declined: true);
        return Snapshot();
    }

    public async Task<CallSnapshot> CallerHungUpAsync(string? eventId = null)
    {
        var machine = Machine();
        if (Seen(eventId) || machine.IsFinished)
        {
            return Snapshot(duplicate: true);
        }

        if (machine.State == CallState.Answered)
        {
            return await EndedAsync(eventId);
        }

        await AbandonAsync(eventId, CancelRingReason.CallerHungUp);
        return Snapshot();
    }

    public async Task<CallSnapshot> EndedAsync(string? eventId = null)
    {
        var machine = Machine();
        if (Seen(eventId) || machine.IsFinished)
        {
            return Snapshot(duplicate: true);
        }

        if (machine.State != CallState.Answered)
        {
            // Ended before anyone answered: the caller is gone.
            await AbandonAsync(eventId, CancelRingReason.CallerHungUp);
            return Snapshot();
        }

        var now = time.GetUtcNow();
        var agentId = machine.AgentId!;
        var events = machine.Complete(now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now)]);
        DeactivateOnIdle();
        Forget(GrainFactory.GetGrain<IAgentRouting>(agentId).CallEndedAsync(CallId));
        if (events is [CallCompleted completed])
        {
            Forget(GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).RecordHandleTimeAsync(completed.TalkTime + completed.HoldTime));
        }

        return Snapshot();
    }

    public Task<CallSnapshot> HeldAsync(string? eventId = null) => HoldChangedAsync(true, eventId, fromDesk: false);

    public Task<CallSnapshot> ResumedAsync(string? eventId = null) => HoldChangedAsync(false, eventId, fromDesk: false);

    public async Task<CallSnapshot> CallbackChosenAsync(string? callbackNumber = null, string? eventId = null)
    {
        var machine = Machine();
        if (Seen(eventId) || machine.State == CallState.CallbackScheduled)
        {
            return Snapshot(duplicate: true);
        }

        var now = time.GetUtcNow();
        var events = machine.ScheduleCallback(callbackNumber, now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now)]);
        _callbackNumber = string.IsNullOrEmpty(callbackNumber) ? machine.Call.CallerNumber : callbackNumber;
        await GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).ScheduleCallbackAsync(CallId);
        return Snapshot();
    }

    public async Task<CallSnapshot> SurveyAsync(int score, string? eventId = null)
    {
        var machine = Machine();
        if (Seen(eventId))
        {
            return Snapshot(duplicate: true);
        }

        var now = time.GetUtcNow();
        var events = machine.Survey(score, now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now)]);
        RetireIfFinished();
        return Snapshot();
    }

    // ---- routing (ICallRouting) ----

    public Task ReservedAsync(ReservationNotice notice) => ApplyReservationAsync(notice);

    public async Task OfferFailedAsync(string agentId, string offerId, string queueId, OfferFailure failure)
    {
        if (_machine is { State: CallState.Reserved or CallState.Ringing } machine
            && string.Equals(machine.AgentId, agentId, StringComparison.Ordinal)
            && string.Equals(_notice?.OfferId, offerId, StringComparison.Ordinal))
        {
            await OfferFailedCoreAsync(agentId, failure, null, AgentRelease.None, cancelRing: true, declined: true);
            return;
        }

        if (_machine is null)
        {
            // No journal: the silo that took this call died before its first records were durable, after its queue
            // had taken it (another silo's queue; ADR 004). Nothing is left to route: the queue lets it go.
            await ForgetLostCallAsync(queueId);
        }
        else if (failure != OfferFailure.Rejected && _machine.State == CallState.Queued
            && string.Equals(_machine.Call.QueueId, queueId, StringComparison.Ordinal))
        {
            // An offer this call never recorded rang out or was withdrawn: a crash came between the agent's
            // reservation and the call's record of it. The queue keeps no record of a call reserved at once, so it
            // may have forgotten the call: back in line at its place, unless the queue holds it already. (A reject
            // comes from a desk at once, possibly before the queue's notice of the offer: left alone.)
            await GrainFactory.GetGrain<IQueueRouting>(queueId).RestoreAsync(Request(_machine.Call), agentId, offerId);
            if (failure == OfferFailure.NoAnswer && !await RecordedOfferAsync(offerId))
            {
                // Never recorded, so never rung: the agent did not miss it. (A late ring-out of an offer that did
                // ring, racing the adapter's own no-answer report, is in the journal and keeps its penalty.)
                Forget(GrainFactory.GetGrain<IAgentRouting>(agentId).OfferNeverRangAsync(offerId));
            }
        }
    }

    public async Task MaxWaitReachedAsync(string queueId)
    {
        if (_machine is not { } machine || !string.Equals(machine.Call.QueueId, queueId, StringComparison.Ordinal)
            || machine.State is not (CallState.Queued or CallState.CallbackScheduled))
        {
            return;
        }

        var queue = directory.FindQueue(queueId);
        if (queue is null || machine.State == CallState.CallbackScheduled)
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = machine.TimeOut(queue.MaxWaitAction, now, queue.OverflowQueueId, queue.OverflowNumber);
        await AppendAsync([.. Entries(events)]);
        switch (queue.MaxWaitAction)
        {
            case Calls.MaxWaitAction.Voicemail:
                await IssueAsync(new SendToVoicemail(""), expires: false);
                break;
            case Calls.MaxWaitAction.Callback:
                _callbackNumber = machine.Call.CallerNumber;
                var position = await GrainFactory.GetGrain<IQueueGrain>(queueId).GetPositionAsync(CallId);
                await IssueAsync(new OfferCallback(position?.Position ?? 0, position?.EstimatedWait), expires: false);
                break;
            case Calls.MaxWaitAction.Overflow when machine.IsFinished:
                // Out to an external number: the adapter transfers the caller; nothing is left to route here.
                await IssueAsync(new OverflowCall(queueId, false, queue.OverflowNumber), expires: false);
                DeactivateOnIdle();
                break;
            case Calls.MaxWaitAction.Overflow:
                await IssueAsync(new OverflowCall(machine.Call.QueueId, false), expires: false);
                var reply = await GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).EnqueueAsync(Request(machine.Call));
                if (reply.Reservation is { } notice)
                {
                    await ApplyReservationAsync(notice);
                }

                break;
        }
    }

    public async Task<CallSnapshot> TransferAsync(string agentId, TransferTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var machine = Machine();
        if (machine.State != CallState.Answered || !string.Equals(machine.AgentId, agentId, StringComparison.Ordinal))
        {
            throw new CallStateException("not-on-this-call", CallId, machine.State, "transfer",
                $"agent {agentId} cannot transfer call {CallId}: it is not talking on it (state {machine.State}, agent {machine.AgentId})");
        }

        if (string.IsNullOrEmpty(target.QueueId) == string.IsNullOrEmpty(target.AgentId))
        {
            throw new ArgumentException($"a transfer of call {CallId} needs exactly one target: a queue or an agent", nameof(target));
        }

        var queueId = target.QueueId ?? machine.Call.QueueId;
        var targetQueue = directory.Queue(queueId);
        if (target.QueueId is not null && targetQueue.Closed)
        {
            throw new RoutingException("queue-closed", $"call {CallId} cannot be transferred to queue {queueId}: the queue is closed");
        }
        if (target.AgentId is { } toAgent)
        {
            if (string.Equals(toAgent, agentId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"agent {agentId} cannot transfer call {CallId} to itself", nameof(target));
            }

            var status = await GrainFactory.GetGrain<IAgentGrain>(toAgent).GetStatusAsync();
            if (status.State != AgentState.Available)
            {
                throw new AgentStateException("not-available", toAgent, status.State, "take a transfer",
                    $"agent {toAgent} cannot take call {CallId}: it is not available (state {status.State})");
            }
        }

        var now = time.GetUtcNow();
        var transferred = machine.Transfer(target.QueueId, target.AgentId, now);
        // The next leg: same call, its original arrival kept, waiting in the target queue.
        var next = CallStateMachine.Offer(machine.Call with { QueueId = queueId, RequiredSkills = targetQueue.SkillsFor(_meta!.Offer.Skills) }, out var offered);
        var queued = next.Enqueue(now);
        await AppendAsync([.. Entries(transferred), .. Entries(offered), .. Entries(queued), Offer(null, now)]);
        _machine = next;
        _notice = null;
        await IssueAsync(new RequeueCall(agentId, queueId), expires: false);
        if (target.AgentId is { } named)
        {
            var reply = await GrainFactory.GetGrain<IAgentRouting>(named).TryReserveAsync(
                new OfferRequest(CallId, queueId, next.Call.CallerNumber, next.Call.Tier, false, _meta!.RepeatCall,
                    _meta.Offer.CallData ?? ImmutableDictionary<string, string>.Empty, next.Call.Language, next.Call.EnqueuedAt, _meta.Offer.DialedNumber));
            if (reply.Reserved)
            {
                await ApplyReservationAsync(new ReservationNotice(named, reply.OfferId!, reply.ExpiresAt, reply.Station, reply.Mode, queueId));
                return Snapshot();
            }

            // The agent moved on in the meantime: the call waits in the queue like any other, at its original place.
            await GrainFactory.GetGrain<IQueueRouting>(queueId).ReturnAsync(Request(next.Call), null);
            return Snapshot();
        }

        var queueReply = await GrainFactory.GetGrain<IQueueRouting>(queueId).EnqueueAsync(Request(next.Call));
        if (queueReply.Reservation is { } notice)
        {
            await ApplyReservationAsync(notice);
        }

        return Snapshot();
    }

    public async Task HoldFromDeskAsync(string agentId, bool hold)
    {
        var machine = Machine();
        if (machine.State != CallState.Answered || !string.Equals(machine.AgentId, agentId, StringComparison.Ordinal))
        {
            throw new CallStateException("not-on-this-call", CallId, machine.State, hold ? "hold" : "resume",
                $"agent {agentId} cannot {(hold ? "hold" : "resume")} call {CallId}: it is not talking on it");
        }

        await HoldChangedAsync(hold, null, fromDesk: true);
    }

    public async Task AcceptedOnDeskAsync(string agentId, string offerId)
    {
        if (_machine is { State: CallState.Reserved } && _notice is { } notice
            && string.Equals(notice.OfferId, offerId, StringComparison.Ordinal) && notice.Mode == OfferMode.AcceptOnDesk)
        {
            await IssueAsync(new BridgeToAgent(agentId, notice.Station, offerId), expires: true);
        }
    }

    public async Task InstructionFailedAsync(AdapterInstruction instruction, AckFailure failure)
    {
        if (_machine is not { } machine)
        {
            return;
        }

        if (failure == AckFailure.CallGone)
        {
            await CallLostAsync();
            return;
        }

        var offerId = instruction.Action switch
        {
            RingAgent ring => ring.OfferId,
            BridgeToAgent bridge => bridge.OfferId,
            PlaceCallback place => place.OfferId,
            _ => null,
        };
        if (offerId is null || machine.State is not (CallState.Reserved or CallState.Ringing)
            || !string.Equals(_notice?.OfferId, offerId, StringComparison.Ordinal))
        {
            return;
        }

        // Unreachable counts as a missed offer; an expired or unsupported one is the adapter's fault, not the agent's.
        var unreachable = failure == AckFailure.EndpointUnreachable;
        await OfferFailedCoreAsync(machine.AgentId!, OfferFailure.NoAnswer, null, unreachable ? AgentRelease.Missed : AgentRelease.Released, cancelRing: true, declined: unreachable);
    }

    public Task AnnouncePositionAsync(int position, TimeSpan? estimatedWait)
    {
        if (_machine is { State: CallState.Queued } && _meta is not null)
        {
            return IssueAsync(new PlayPosition(position, estimatedWait), expires: false);
        }

        return Task.CompletedTask;
    }

    public async Task RecordDispositionAsync(string agentId, string? dispositionCode, string? notes)
    {
        Machine();
        var disposition = new CallDispositionRecord(agentId, dispositionCode, notes);
        if (disposition == _disposition)
        {
            return;
        }

        await AppendAsync([RoutingJournal.Entry(RoutingJournal.CallDisposition, time.GetUtcNow(), disposition)]);
        _disposition = disposition;
        RetireIfFinished();
    }

    public async Task CallLostAsync()
    {
        var machine = Machine();
        if (machine.IsFinished)
        {
            return;
        }

        if (machine.State == CallState.Answered)
        {
            await EndedAsync();
        }
        else
        {
            await AbandonAsync(null, CancelRingReason.CallerHungUp);
        }
    }

    // ---- inside ----

    /// <summary>A late report (survey, disposition) brought a finished call back: it leaves again once recorded.</summary>
    private void RetireIfFinished()
    {
        if (_machine is { IsFinished: true })
        {
            DeactivateOnIdle();
        }
    }

    private CallStateMachine Machine() => _machine ?? throw new RoutingNotFoundException("call", CallId);

    private void Validate(CallOffer offer)
    {
        if (string.IsNullOrWhiteSpace(offer.AdapterId))
        {
            throw new ArgumentException($"call {CallId}: adapter id is required", nameof(offer));
        }

        if (string.IsNullOrWhiteSpace(offer.ExternalCallId))
        {
            throw new ArgumentException($"call {CallId}: external call id is required", nameof(offer));
        }

        if (string.IsNullOrWhiteSpace(offer.CallerNumber))
        {
            throw new ArgumentException($"call {CallId}: caller number is required", nameof(offer));
        }

        if (string.IsNullOrWhiteSpace(offer.QueueId))
        {
            throw new ArgumentException($"call {CallId}: queue id is required", nameof(offer));
        }

        directory.Queue(offer.QueueId);
        var skills = directory.Configuration.Skills;
        foreach (var requirement in offer.Skills.IsDefault ? [] : offer.Skills)
        {
            if (!skills.Contains(requirement.Skill))
            {
                throw new RoutingNotFoundException("skill", requirement.Skill, $"call {CallId} asks for it");
            }

            if (requirement.MinProficiency is < 1 or > 10)
            {
                throw new ArgumentException($"call {CallId}: minimum proficiency {requirement.MinProficiency} of skill {requirement.Skill} is outside 1-10", nameof(offer));
            }
        }

        if (offer.Language is { } language && !skills.Contains(language))
        {
            throw new RoutingNotFoundException("skill", language, $"call {CallId} asks for it as its language");
        }
    }

    /// <summary>
    /// Refuses a new call that its queue cannot take, before anything is journaled: the queue is closed, or as many
    /// calls wait as it allows (counted as the offer arrives: offers racing at the limit may each see room).
    /// </summary>
    private async Task AdmitAsync(QueueDefinition queue)
    {
        if (queue.Closed)
        {
            throw new RoutingException("queue-closed", $"queue {queue.QueueId} is closed: it takes no new calls");
        }

        if (queue.MaxCalls > 0)
        {
            var status = await GrainFactory.GetGrain<IQueueGrain>(queue.QueueId).GetStatusAsync();
            if (status.CallsWaiting >= queue.MaxCalls)
            {
                throw new RoutingException("queue-full", $"queue {queue.QueueId} is full: {status.CallsWaiting} calls wait and its max_calls is {queue.MaxCalls}");
            }
        }
    }

    /// <summary>What the caller's number and the customer id know of earlier calls: a repeat if either says so, the customer's last agent first.</summary>
    private async Task<CallerHistory> HistoryAsync(CallOffer offer, DateTimeOffset now)
    {
        var history = new CallerHistory(false, null);
        foreach (var caller in CallerKeys(offer))
        {
            var known = await GrainFactory.GetGrain<ICallerGrain>(caller).CallOfferedAsync(now);
            history = new CallerHistory(history.RepeatCall || known.RepeatCall, history.LastAgentId ?? known.LastAgentId);
        }

        return history;
    }

    /// <summary>The caller grains that remember this caller: the customer's (when the CRM knows it), then the number's (unless withheld).</summary>
    private static IEnumerable<string> CallerKeys(CallOffer offer)
    {
        if (!string.IsNullOrEmpty(offer.CustomerId))
        {
            yield return "customer:" + offer.CustomerId;
        }

        if (!IsAnonymous(offer.CallerNumber))
        {
            yield return offer.CallerNumber;
        }
    }

    /// <summary>The adapter's preferred agent, when it is one the center knows (a stale CRM id routes as if none was given).</summary>
    private string? Preferred(CallOffer offer) =>
        offer.PreferredAgentId is { } agentId && directory.Configuration.AgentsById.ContainsKey(agentId) ? agentId : null;

    private async Task<OfferCallResult> DuplicateAsync(CallOffer offer)
    {
        var first = _meta!.Offer;
        if (!string.Equals(first.AdapterId, offer.AdapterId, StringComparison.Ordinal)
            || !string.Equals(first.ExternalCallId, offer.ExternalCallId, StringComparison.Ordinal)
            || !string.Equals(first.CallerNumber, offer.CallerNumber, StringComparison.Ordinal)
            || !string.Equals(first.QueueId, offer.QueueId, StringComparison.Ordinal))
        {
            throw new DuplicateCallException(CallId,
                $"call {CallId} already exists for caller {first.CallerNumber} in queue {first.QueueId} (adapter {first.AdapterId}); " +
                $"this offer is for caller {offer.CallerNumber} in queue {offer.QueueId}: use a fresh call id");
        }

        var machine = _machine!;
        var position = machine.State is CallState.Queued or CallState.CallbackScheduled
            ? await GrainFactory.GetGrain<IQueueGrain>(machine.Call.QueueId).GetPositionAsync(CallId)
            : null;
        return new OfferCallResult(CallId, machine.State, position?.Position ?? 0, position?.EstimatedWait, true, _meta.RepeatCall, machine.AgentId);
    }

    private async Task ApplyReservationAsync(ReservationNotice notice)
    {
        if (_machine is not { State: CallState.Queued or CallState.CallbackScheduled } machine
            || !string.Equals(machine.Call.QueueId, notice.QueueId, StringComparison.Ordinal))
        {
            // The call moved on (abandoned, answered elsewhere) while the agent was being reserved: release the agent.
            Forget(GrainFactory.GetGrain<IAgentRouting>(notice.AgentId).OfferWithdrawnAsync(CallId, missed: false));
            if (_machine is null)
            {
                // A call with no journal that a queue still holds (see OfferFailedAsync): the queue lets it go.
                await ForgetLostCallAsync(notice.QueueId);
            }

            return;
        }

        using var activity = RoutingTelemetry.ActivitySource.StartActivity("switchboard.call.reserved");
        activity?.SetTag("switchboard.call", CallId);
        activity?.SetTag("switchboard.agent", notice.AgentId);
        var now = time.GetUtcNow();
        var isCallback = machine.State == CallState.CallbackScheduled;
        var events = machine.Reserve(notice.AgentId, now);
        await AppendAsync([.. Entries(events), Offer(notice, now)]);
        _notice = notice;
        var ring = notice.ExpiresAt > now ? notice.ExpiresAt - now : TimeSpan.Zero;
        if (isCallback)
        {
            await IssueAsync(new PlaceCallback(notice.AgentId, notice.Station, _callbackNumber ?? machine.Call.CallerNumber, ring, notice.OfferId), expires: true);
        }
        else if (notice.Mode == OfferMode.RingEndpoint)
        {
            await IssueAsync(new RingAgent(notice.AgentId, notice.Station, ring, notice.OfferId, $"[{notice.QueueId}] {machine.Call.CallerNumber}"), expires: true);
        }
    }

    /// <summary>
    /// The offer failed: journaled, the agent told what it needs to hear (<paramref name="agent"/>: nothing when it
    /// decided itself, missed when the switch reported a ring-out, released when the adapter never took the ring),
    /// the ring cancelled, and the call back at its place in line, not offered again to a declining agent.
    /// </summary>
    private async Task OfferFailedCoreAsync(string agentId, OfferFailure failure, string? eventId, AgentRelease agent, bool cancelRing, bool declined)
    {
        var machine = _machine!;
        var now = time.GetUtcNow();
        var notice = _notice;
        var events = failure == OfferFailure.Rejected ? machine.Reject(now) : machine.NoAnswer(now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now), Offer(null, now)]);
        _notice = null;
        if (agent != AgentRelease.None)
        {
            Forget(GrainFactory.GetGrain<IAgentRouting>(agentId).OfferWithdrawnAsync(CallId, missed: agent == AgentRelease.Missed));
        }

        if (cancelRing && notice is { Mode: OfferMode.RingEndpoint })
        {
            var reason = failure switch
            {
                OfferFailure.Rejected => CancelRingReason.Rejected,
                OfferFailure.Withdrawn => CancelRingReason.AgentUnavailable,
                _ => CancelRingReason.RingTimeout,
            };
            await IssueAsync(new CancelRing(agentId, reason), expires: false);
        }

        await GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).ReturnAsync(Request(machine.Call), declined ? agentId : null);
    }

    /// <summary>
    /// The first records failed to commit after the queue was asked to take the call: the queue lets it go and an
    /// agent reserved for it is released without a missed offer, so nothing routes a call that was never recorded.
    /// The activation starts again from its (empty) journal, and the adapter's retry offers the call afresh.
    /// </summary>
    private async Task WithdrawAsync(string queueId, Task<EnqueueReply> enqueued)
    {
        try
        {
            if ((await enqueued).Reservation is { } notice)
            {
                Forget(GrainFactory.GetGrain<IAgentRouting>(notice.AgentId).OfferWithdrawnAsync(CallId, missed: false));
            }

            await GrainFactory.GetGrain<IQueueRouting>(queueId).RemoveAsync(CallId);
        }
        catch (Exception exception)
        {
            // The append's failure is what the adapter hears; this one is logged.
            Log.WithdrawFailed(logger, exception, CallId, queueId);
        }
    }

    /// <summary>Whether this call ever recorded the offer (read back from the journal: asked only after a crash).</summary>
    private async Task<bool> RecordedOfferAsync(string offerId)
    {
        await foreach (var record in journal.ReadAsync())
        {
            if (record.Type == RoutingJournal.CallOffer
                && string.Equals(RoutingJournal.Read<CallOfferRecord>(record).Notice?.OfferId, offerId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A queue holds this call but its journal is empty: the records were lost with a silo (ADR 004).</summary>
    private async Task ForgetLostCallAsync(string queueId)
    {
        Log.LostCall(logger, CallId, queueId);
        await GrainFactory.GetGrain<IQueueRouting>(queueId).RemoveAsync(CallId);
        DeactivateOnIdle();
    }

    private async Task AbandonAsync(string? eventId, CancelRingReason reason)
    {
        var machine = _machine!;
        var agentId = machine.AgentId;
        var ringing = machine.State is CallState.Reserved or CallState.Ringing;
        var now = time.GetUtcNow();
        var events = machine.Abandon(now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now), Offer(null, now)]);
        DeactivateOnIdle();
        var notice = _notice;
        _notice = null;
        RoutingTelemetry.CallsAbandoned.Add(1, new KeyValuePair<string, object?>(RoutingTelemetry.QueueAttribute, machine.Call.QueueId));
        if (ringing && agentId is not null)
        {
            // Released at once: the agent may take the next call without waiting for any timer.
            Forget(GrainFactory.GetGrain<IAgentRouting>(agentId).OfferWithdrawnAsync(CallId, missed: false));
            if (notice is { Mode: OfferMode.RingEndpoint })
            {
                await IssueAsync(new CancelRing(agentId, reason), expires: false);
            }
        }

        await GrainFactory.GetGrain<IQueueRouting>(machine.Call.QueueId).RemoveAsync(CallId);
    }

    private async Task<CallSnapshot> HoldChangedAsync(bool hold, string? eventId, bool fromDesk)
    {
        var machine = Machine();
        if (Seen(eventId) || (machine.State == CallState.Answered && machine.OnHold == hold))
        {
            return Snapshot(duplicate: true);
        }

        var now = time.GetUtcNow();
        var events = hold ? machine.Hold(now) : machine.Unhold(now);
        await AppendAsync([.. Entries(events), .. Report(eventId, now)]);
        var agentId = machine.AgentId!;
        if (fromDesk)
        {
            await IssueAsync(hold ? new HoldCaller(agentId) : new ResumeCaller(agentId), expires: false);
        }

        Forget(GrainFactory.GetGrain<IAgentRouting>(agentId).CallHoldChangedAsync(CallId, hold));
        return Snapshot();
    }

    private EnqueueRequest Request(Call call) =>
        new(call, _meta?.PreferredAgentId, _meta?.RepeatCall ?? false, _meta?.Offer.CallData ?? ImmutableDictionary<string, string>.Empty, _meta?.Offer.DialedNumber);

    /// <summary>
    /// Sends an instruction to the call's adapter outbox one way: the outbox persists it before publishing it, and
    /// one-way messages from this call arrive in the order sent, so the adapter sees this call's instructions in
    /// order without the call waiting for another durable write on the hot path.
    /// </summary>
    private Task IssueAsync(InstructionAction action, bool expires)
    {
        Forget(GrainFactory.GetGrain<IAdapterOutbox>(_meta!.Offer.AdapterId).IssueAsync(CallId, _meta.Offer.ExternalCallId, action, expires));
        return Task.CompletedTask;
    }

    private bool Seen(string? eventId) => eventId is not null && _eventIds is not null && _eventIds.Contains(eventId);

    private IEnumerable<JournalEntry> Report(string? eventId, DateTimeOffset now)
    {
        if (eventId is null)
        {
            return [];
        }

        (_eventIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(eventId);
        return [RoutingJournal.Entry(RoutingJournal.CallReport, now, new CallReportRecord(eventId))];
    }

    private static JournalEntry Offer(ReservationNotice? notice, DateTimeOffset now) =>
        RoutingJournal.Entry(RoutingJournal.CallOffer, now, new CallOfferRecord(notice));

    private static IEnumerable<JournalEntry> Entries(IReadOnlyList<CallEvent> events)
    {
        foreach (var e in events)
        {
            yield return RoutingJournal.Entry(e);
        }
    }

    private async Task AppendAsync(IReadOnlyList<JournalEntry> entries)
    {
        try
        {
            await journal.AppendAsync(entries);
        }
        catch (Exception exception)
        {
            // The machine moved on but the journal did not: start again from the journal.
            Log.JournalFailed(logger, exception, CallId);
            DeactivateOnIdle();
            throw;
        }
    }

    private CallSnapshot Snapshot(bool duplicate = false)
    {
        var machine = Machine();
        var offer = _meta!.Offer;
        return new CallSnapshot(CallId, offer.AdapterId, offer.ExternalCallId, machine.Call.CallerNumber, machine.Call.QueueId, machine.State,
            machine.Call.EnqueuedAt, machine.StateSince, machine.AgentId, _notice?.OfferId, machine.OnHold,
            machine.State == CallState.CallbackScheduled || (_callbackNumber is not null && !machine.IsFinished && machine.State != CallState.Answered), duplicate,
            offer.CustomerId, _disposition?.DispositionCode, _disposition?.Notes);
    }

    private enum AgentRelease
    {
        None,
        Missed,
        Released,
    }

    private static bool IsAnonymous(string callerNumber) =>
        string.Equals(callerNumber, "anonymous", StringComparison.OrdinalIgnoreCase);

    private void Forget(Task task) => OneWay.Observe(task, logger);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3400, Level = LogLevel.Error, Message = "Call {CallId}: a journal append failed; the activation restarts from its journal")]
        public static partial void JournalFailed(ILogger logger, Exception exception, string callId);

        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Call {CallId}: its first records failed to commit and queue {QueueId} could not be told to let it go")]
        public static partial void WithdrawFailed(ILogger logger, Exception exception, string callId, string queueId);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Call {CallId} has no journal but queue {QueueId} held it (records lost with a silo): the queue lets it go")]
        public static partial void LostCall(ILogger logger, string callId, string queueId);
    }
}
