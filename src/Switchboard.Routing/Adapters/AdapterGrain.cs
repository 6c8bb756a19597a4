using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Telemetry;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Adapters;

/// <summary>
/// The outbox of one telephony adapter. Instructions and acks are journaled (an append per instruction, never a
/// rewrite of the whole outbox); the unacknowledged ones are rebuilt from the journal on activation. Numbers are
/// reserved in blocks by journal records, so an instruction is published once its number is reserved durably,
/// while its own record is still on its way to the disk (ADR 006): the ring reaches the adapter one fsync sooner.
/// </summary>
internal sealed partial class AdapterGrain(
    [PersistentState("adapter")] IPersistentState<AdapterCheckpoint> checkpoint,
    [GrainJournal] IGrainJournal journal,
    ITopicHub streams,
    TimeProvider time,
    IOptions<RoutingOptions> options,
    ILogger<AdapterGrain> logger) : Grain, IAdapterGrain, IAdapterOutbox
{
    private readonly SortedDictionary<long, AdapterInstruction> _pending = [];
    private readonly Dictionary<string, long> _sequenceById = new(StringComparer.Ordinal);

    // Instruction sequence -> the journal record that issued it, to know where replay can start.
    private readonly Dictionary<long, long> _recordOf = [];
    private int _acksSinceCheckpoint;
    private readonly RoutingOptions _options = options.Value;
    private ITopic<AdapterInstruction>? _topic;
    private IGrainTimer? _expiryTimer;
    private DateTimeOffset? _expiryDue;
    private long _lastSequence;

    // Numbers up to here are reserved by a durable journal record: no later activation gives them out again, so an
    // instruction numbered at or below it may be published before its own record is durable (ADR 006).
    private long _numberedUpTo;
    private bool _reserving;

    // The highest number asked for, durable or not (never below _numberedUpTo): a checkpoint may move replay past a
    // reservation's record while its continuation has yet to raise _numberedUpTo, so the checkpoint carries this.
    private long _askedUpTo;

    // Instructions numbered and not yet published, in number order: one is published when its number is reserved
    // durably or its own record is durable, and never before an instruction numbered ahead of it.
    private readonly Queue<Outgoing> _unpublished = new();

    private string AdapterId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _topic = streams.GetTopic<AdapterInstruction>(RoutingTopics.Adapter(AdapterId));
        _lastSequence = checkpoint.State.LastSequence;
        await foreach (var record in journal.ReadAsync(checkpoint.State.ReplayFrom, cancellationToken))
        {
            if (record.Type == RoutingJournal.AdapterIssued)
            {
                var instruction = RoutingJournal.Read<AdapterInstruction>(record);
                _pending[instruction.Sequence] = instruction;
                _recordOf[instruction.Sequence] = record.Sequence;
                _sequenceById[instruction.InstructionId] = instruction.Sequence;
                _lastSequence = Math.Max(_lastSequence, instruction.Sequence);
            }
            else if (record.Type == RoutingJournal.AdapterAcked)
            {
                var ack = RoutingJournal.Read<AdapterAckRecord>(record);
                if (_sequenceById.Remove(ack.InstructionId, out var sequence))
                {
                    _pending.Remove(sequence);
                }
            }
            else if (record.Type == RoutingJournal.AdapterNumbered)
            {
                _lastSequence = Math.Max(_lastSequence, RoutingJournal.Read<AdapterNumbersRecord>(record).UpTo);
            }
        }

        // Any number up to here may have been published by the last activation, its record lost with it: numbering
        // resumes past them, and the next number needs a reservation of its own.
        _numberedUpTo = _askedUpTo = _lastSequence;

        foreach (var instruction in _pending.Values)
        {
            _topic.Publish(instruction.InstructionId, instruction);
        }

        ArmExpiry();
    }

    public async Task<AdapterInstruction> IssueAsync(string callId, string externalCallId, InstructionAction action, bool expires)
    {
        using var activity = RoutingTelemetry.ActivitySource.StartActivity("switchboard.adapter.instruction");
        activity?.SetTag("switchboard.adapter", AdapterId);
        activity?.SetTag("switchboard.call", callId);
        activity?.SetTag("switchboard.instruction", action.GetType().Name);
        var now = time.GetUtcNow();
        // Numbered and queued to the store before the first await: an instruction arriving meanwhile takes the next
        // number and the next place in the store's queue, so instructions of many calls share a commit. A failed
        // write leaves a gap in the numbering (the adapter sees ids, never a count).
        var sequence = ++_lastSequence;
        var instruction = new AdapterInstruction(
            $"{AdapterId}#{sequence}", sequence, AdapterId, callId, externalCallId, now,
            expires && _options.ExpireUnacknowledgedOffers ? now + _options.AckTimeout : null, action);
        ReserveNumbersAhead(now);
        _recordOf[sequence] = journal.ReservedSequence + 1;
        var written = journal.AppendAsync([RoutingJournal.Entry(RoutingJournal.AdapterIssued, now, instruction)]);
        var outgoing = new Outgoing(instruction);
        _unpublished.Enqueue(outgoing);
        PublishReady();
        try
        {
            await written;
        }
        catch (Exception exception)
        {
            // Another activation wrote this outbox's stream: this one is stale and goes; the next instruction finds the fresh one.
            if (exception is Orleans.Storage.InconsistentStateException)
            {
                DeactivateOnIdle();
            }

            // Not journaled, so never re-sent. Published already, the adapter may still carry it out: the caller's
            // own transition is durable before it sends an instruction, so what the instruction does stays valid.
            outgoing.Failed = true;
            _recordOf.Remove(sequence);
            if (outgoing.Published)
            {
                _pending.Remove(sequence);
                _sequenceById.Remove(instruction.InstructionId);
                _topic!.Remove(instruction.InstructionId);
            }

            PublishReady();
            throw;
        }

        outgoing.Recorded = true;
        PublishReady();
        return instruction;
    }

    /// <summary>Publishes the instructions at the head of the line whose numbers are reserved or records durable.</summary>
    private void PublishReady()
    {
        while (_unpublished.TryPeek(out var next))
        {
            if (!next.Failed)
            {
                var instruction = next.Instruction;
                if (instruction.Sequence > _numberedUpTo && !next.Recorded)
                {
                    return;
                }

                next.Published = true;
                _pending[instruction.Sequence] = instruction;
                _sequenceById[instruction.InstructionId] = instruction.Sequence;
                _topic!.Publish(instruction.InstructionId, instruction);
                if (instruction.ExpiresAt is { } at && (_expiryDue is null || at < _expiryDue))
                {
                    ArmExpiry();
                }
            }

            _unpublished.Dequeue();
        }
    }

    /// <summary>
    /// Reserves the next block of numbers once half of the reserved ones are given out, so that under steady load an
    /// instruction never waits for a reservation; only the first after an activation does (sharing its commit).
    /// </summary>
    private void ReserveNumbersAhead(DateTimeOffset now)
    {
        var block = Math.Max(1, _options.InstructionNumberBlock);
        if (_reserving || _lastSequence <= _numberedUpTo - block / 2)
        {
            return;
        }

        _reserving = true;
        _askedUpTo = Math.Max(_numberedUpTo, _lastSequence) + block;
        _ = ReserveAsync(_askedUpTo, now);
    }

    private async Task ReserveAsync(long upTo, DateTimeOffset now)
    {
        try
        {
            await journal.AppendAsync([RoutingJournal.Entry(RoutingJournal.AdapterNumbered, now, new AdapterNumbersRecord(upTo))]);
            _numberedUpTo = Math.Max(_numberedUpTo, upTo);
        }
        catch (Exception error)
        {
            if (error is Orleans.Storage.InconsistentStateException)
            {
                DeactivateOnIdle();
            }

            // Instructions past the last reservation are published once their own records are durable instead; the
            // next instruction asks again.
            Log.ReservationFailed(logger, AdapterId, upTo, error.Message);
        }
        finally
        {
            _reserving = false;
        }

        PublishReady();
    }

    public async Task<AdapterConnection> ConnectAsync(bool callsLost = false)
    {
        if (callsLost)
        {
            var calls = _pending.Values.Select(i => i.CallId).Distinct(StringComparer.Ordinal).ToList();
            foreach (var instruction in _pending.Values.ToList())
            {
                await AcknowledgeAsync(instruction, InstructionOutcome.Failed, AckFailure.CallGone);
            }

            foreach (var callId in calls)
            {
                Forget(GrainFactory.GetGrain<ICallRouting>(callId).CallLostAsync());
            }
        }

        await ExpireDueAsync();
        return new AdapterConnection(AdapterId, [.. _pending.Values], _options.AckTimeout);
    }

    public async Task<bool> AckAsync(string instructionId, InstructionOutcome outcome, AckFailure failure = AckFailure.None)
    {
        if (!_sequenceById.TryGetValue(instructionId, out var sequence) || !_pending.TryGetValue(sequence, out var instruction))
        {
            return false;
        }

        await AcknowledgeAsync(instruction, outcome, failure);
        if (outcome == InstructionOutcome.Failed)
        {
            Forget(GrainFactory.GetGrain<ICallRouting>(instruction.CallId).InstructionFailedAsync(instruction, failure));
        }

        return true;
    }

    public Task<IReadOnlyList<AdapterInstruction>> GetPendingAsync() =>
        Task.FromResult<IReadOnlyList<AdapterInstruction>>([.. _pending.Values]);

    private async Task AcknowledgeAsync(AdapterInstruction instruction, InstructionOutcome outcome, AckFailure failure)
    {
        await journal.AppendAsync([RoutingJournal.Entry(RoutingJournal.AdapterAcked, time.GetUtcNow(), new AdapterAckRecord(instruction.InstructionId, outcome, failure))]);
        _pending.Remove(instruction.Sequence);
        _recordOf.Remove(instruction.Sequence);
        _sequenceById.Remove(instruction.InstructionId);
        _topic!.Remove(instruction.InstructionId);
        if (++_acksSinceCheckpoint >= CheckpointEvery)
        {
            await CheckpointAsync();
        }
    }

    private const int CheckpointEvery = 64;

    /// <summary>Moves the replay start past every acknowledged instruction.</summary>
    private async Task CheckpointAsync()
    {
        var from = journal.LastSequence + 1;
        foreach (var record in _recordOf.Values)
        {
            from = Math.Min(from, record);
        }

        // Replay may start past the last reservation's record: the checkpoint carries the numbers it reserved.
        var last = Math.Max(_lastSequence, _askedUpTo);
        if (from == checkpoint.State.ReplayFrom && last == checkpoint.State.LastSequence)
        {
            return;
        }

        checkpoint.State = new AdapterCheckpoint { ReplayFrom = from, LastSequence = last };
        await checkpoint.WriteStateAsync();
        _acksSinceCheckpoint = 0;
    }

    private async Task ExpireDueAsync()
    {
        var now = time.GetUtcNow();
        List<AdapterInstruction>? expired = null;
        foreach (var instruction in _pending.Values)
        {
            if (instruction.ExpiresAt is { } at && at <= now)
            {
                (expired ??= []).Add(instruction);
            }
        }

        foreach (var instruction in expired ?? [])
        {
            Log.InstructionExpired(logger, instruction.InstructionId, AdapterId, instruction.CallId);
            await AcknowledgeAsync(instruction, InstructionOutcome.Failed, AckFailure.Expired);
            Forget(GrainFactory.GetGrain<ICallRouting>(instruction.CallId).InstructionFailedAsync(instruction, AckFailure.Expired));
        }
    }

    private void ArmExpiry()
    {
        DateTimeOffset? next = null;
        foreach (var instruction in _pending.Values)
        {
            if (instruction.ExpiresAt is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        _expiryTimer?.Dispose();
        _expiryTimer = null;
        _expiryDue = next;
        if (next is { } due)
        {
            var delay = due - time.GetUtcNow();
            _expiryTimer = this.RegisterGrainTimer(OnExpiryAsync, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task OnExpiryAsync(CancellationToken cancellationToken)
    {
        _expiryDue = null;
        await ExpireDueAsync();
        ArmExpiry();
    }

    private void Forget(Task task) => OneWay.Observe(task, logger);

    private sealed class Outgoing(AdapterInstruction instruction)
    {
        public AdapterInstruction Instruction { get; } = instruction;

        public bool Recorded { get; set; }

        public bool Failed { get; set; }

        public bool Published { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Instruction {InstructionId} to adapter {AdapterId} for call {CallId} expired unacknowledged")]
        public static partial void InstructionExpired(ILogger logger, string instructionId, string adapterId, string callId);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Adapter {AdapterId} could not reserve instruction numbers up to {UpTo}: {Reason}")]
        public static partial void ReservationFailed(ILogger logger, string adapterId, long upTo, string reason);
    }
}
