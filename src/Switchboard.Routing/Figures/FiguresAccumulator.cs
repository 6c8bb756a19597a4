using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Figures;

/// <summary>
/// Computes figures from the call and agent event records, fed in journal order. It keeps sums per scope
/// (queue, team, vendor, agent, center) per interval, so any interval or range can be queried, and it can
/// be rebuilt after a restart by replaying the journal. Each event counts in the interval of its own
/// timestamp (an answer in the interval it was answered); agent state time is split over the intervals it
/// spans. Single-threaded.
/// </summary>
public sealed class FiguresAccumulator
{
    private readonly FiguresOptions _options;
    private readonly IReadOnlyDictionary<string, AgentProfile> _agents;
    private readonly IReadOnlyDictionary<string, QueueDefinition> _queues;
    private readonly Dictionary<(FigureScope Scope, long Bucket), FigureCounters> _buckets = [];
    private readonly CallerMemory _lastCallByCaller = new();
    private readonly Dictionary<string, DateTimeOffset> _enqueuedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string QueueId, DateTimeOffset EnqueuedAt)> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentState> _agentStates = new(StringComparer.Ordinal);

    // Agents by state per scope, kept as agents change state, so a live view never walks every agent.
    private readonly Dictionary<FigureScope, int[]> _stateCounts = [];
    private static readonly int StateCount = Enum.GetValues<AgentState>().Max(s => (int)s) + 1;

    // Callers are remembered for the repeat-call window only: older entries are dropped once the map has doubled.
    private int _callersPruneAt = 1024;

    /// <param name="options">The figure variants; defaults when null.</param>
    /// <param name="agents">Agent profiles by id, to roll agent figures up to teams and vendors.</param>
    /// <param name="queues">Queue definitions by id, for each queue's own service-level threshold.</param>
    public FiguresAccumulator(
        FiguresOptions? options = null,
        IReadOnlyDictionary<string, AgentProfile>? agents = null,
        IReadOnlyDictionary<string, QueueDefinition>? queues = null)
    {
        _options = options ?? new FiguresOptions();
        if (_options.IntervalLength <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.IntervalLength, "the interval length must be positive");
        }

        _agents = agents ?? new Dictionary<string, AgentProfile>();
        _queues = queues ?? new Dictionary<string, QueueDefinition>();
    }

    public FiguresOptions Options => _options;

    /// <summary>The start of the interval <paramref name="t"/> falls in (intervals are aligned on UTC midnight).</summary>
    public DateTimeOffset IntervalStart(DateTimeOffset t) =>
        new(Bucket(t) * _options.IntervalLength.Ticks, TimeSpan.Zero);

    public void Apply(IEnumerable<CallEvent> events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }
    }

    public void Apply(IEnumerable<AgentEvent> events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }
    }

    public void Apply(CallEvent e)
    {
        switch (e)
        {
            case CallOffered offered:
                var repeat = _lastCallByCaller.Record(offered.Call.CallerNumber, offered.At) is { } last
                    && offered.At - last <= _options.RepeatCallWindow;
                PruneCallers(offered.At);
                _enqueuedAt[offered.CallId] = offered.Call.EnqueuedAt;
                ForQueue(e, c =>
                {
                    c.Offered++;
                    c.RepeatCalls += repeat ? 1 : 0;
                });
                break;
            case CallQueued queued:
                _enqueuedAt[queued.CallId] = queued.EnqueuedAt;
                _waiting[queued.CallId] = (queued.QueueId, queued.EnqueuedAt);
                break;
            case CallbackScheduled:
                if (_enqueuedAt.TryGetValue(e.CallId, out var enqueued))
                {
                    _waiting[e.CallId] = (e.QueueId, enqueued);
                }

                break;
            case CallReserved reserved:
                _waiting.Remove(e.CallId);
                ForQueueAndAgent(e, reserved.AgentId, c => c.Offers++);
                break;
            case CallRejected rejected:
                ForQueueAndAgent(e, rejected.AgentId, c => c.MissedOffers++);
                break;
            case CallNoAnswer noAnswer:
                ForQueueAndAgent(e, noAnswer.AgentId, c => c.MissedOffers++);
                break;
            case CallAnswered answered:
                _enqueuedAt.Remove(e.CallId);
                var within = answered.QueueWait <= ThresholdOf(e.QueueId);
                ForQueueAndAgent(e, answered.AgentId, c =>
                {
                    c.Answered++;
                    c.AnsweredWithinThreshold += within ? 1 : 0;
                    c.QueueWaitOfAnswered += answered.QueueWait;
                });
                break;
            case CallAbandoned abandoned:
                _waiting.Remove(e.CallId);
                _enqueuedAt.Remove(e.CallId);
                var isShort = abandoned.Wait < _options.ShortAbandonThreshold;
                var afterThreshold = abandoned.Wait > ThresholdOf(e.QueueId);
                ForQueue(e, c =>
                {
                    c.Abandoned++;
                    c.ShortAbandoned += isShort ? 1 : 0;
                    c.AbandonedAfterThreshold += afterThreshold ? 1 : 0;
                });
                break;
            case CallCompleted completed:
                ForQueueAndAgent(e, completed.AgentId, c =>
                {
                    c.Handled++;
                    c.TalkTime += completed.TalkTime;
                    c.HoldTime += completed.HoldTime;
                });
                break;
            case CallTransferred transferred:
                ForQueueAndAgent(e, transferred.AgentId, c =>
                {
                    c.Handled++;
                    c.TalkTime += transferred.TalkTime;
                    c.HoldTime += transferred.HoldTime;
                });
                break;
            case CallOverflowed overflowed:
                _waiting.Remove(e.CallId);
                ForQueue(e, c => c.Overflowed++);
                if (overflowed.ToNumber is null)
                {
                    // The target queue was offered the call too; the center counts it once.
                    Counters(FigureScope.Queue(overflowed.ToQueueId), e.At).Offered++;
                }
                break;
            case CallTimedOut:
                _waiting.Remove(e.CallId);
                ForQueue(e, c => c.TimedOut++);
                break;
            case CallSurveyed surveyed:
                ForQueueAndAgent(e, surveyed.AgentId, c =>
                {
                    c.Surveys++;
                    c.SurveyScoreSum += surveyed.Score;
                    c.SurveyTopBox += surveyed.Score >= 4 ? 1 : 0;
                });
                break;
        }
    }

    public void Apply(AgentEvent e)
    {
        if (e is not AgentStateChanged changed)
        {
            return;
        }

        CountState(changed.AgentId, _agentStates.TryGetValue(changed.AgentId, out var previous) ? previous : null, changed.To);
        _agentStates[changed.AgentId] = changed.To;
        var duration = changed.TimeInPreviousState;
        if (duration > TimeSpan.Zero)
        {
            var busy = changed.From is AgentState.OnCall or AgentState.WrapUp;
            var idle = changed.From is AgentState.Available or AgentState.Reserved;
            if (busy || idle)
            {
                SplitOverIntervals(changed.AgentId, changed.At - duration, changed.At, busy);
            }
        }

        if (changed.From == AgentState.WrapUp && changed.QueueId is { } queueId)
        {
            foreach (var scope in AgentScopes(changed.AgentId))
            {
                Counters(scope, changed.At).WrapUpTime += duration;
            }

            Counters(FigureScope.Queue(queueId), changed.At).WrapUpTime += duration;
            Counters(FigureScope.Center, changed.At).WrapUpTime += duration;
        }
    }

    /// <summary>The figures of the interval containing <paramref name="anyTimeInInterval"/>.</summary>
    public FigureSet Interval(FigureScope scope, DateTimeOffset anyTimeInInterval)
    {
        var start = IntervalStart(anyTimeInInterval);
        return Range(scope, start, start + _options.IntervalLength);
    }

    /// <summary>The figures summed over the intervals that start in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public FigureSet Range(FigureScope scope, DateTimeOffset from, DateTimeOffset to)
    {
        var sum = new FigureCounters();
        if (to > from)
        {
            var first = Bucket(from) + (IntervalStart(from) < from ? 1 : 0);
            var end = Bucket(to) + (IntervalStart(to) < to ? 1 : 0);
            for (var b = first; b < end; b++)
            {
                if (_buckets.TryGetValue((scope, b), out var counters))
                {
                    sum.Add(counters);
                }
            }
        }

        return sum.ToFigures(_options);
    }

    /// <summary>The start of each interval from <paramref name="from"/> to <paramref name="to"/> with its figures, for a report.</summary>
    public IReadOnlyList<KeyValuePair<DateTimeOffset, FigureSet>> Intervals(FigureScope scope, DateTimeOffset from, DateTimeOffset to)
    {
        var result = new List<KeyValuePair<DateTimeOffset, FigureSet>>();
        for (var start = IntervalStart(from); start < to; start += _options.IntervalLength)
        {
            result.Add(new(start, Range(scope, start, start + _options.IntervalLength)));
        }

        return result;
    }

    /// <summary>
    /// The live view of a scope at <paramref name="now"/>: waiting calls, agents by state, the day so far
    /// (from <paramref name="dayStart"/>, default UTC midnight) and the rolling <paramref name="rollingWindow"/>
    /// (whole intervals: the interval containing now - window up to the one containing now).
    /// </summary>
    public LiveFigures Live(FigureScope scope, DateTimeOffset now, TimeSpan rollingWindow, DateTimeOffset? dayStart = null)
    {
        var waiting = 0;
        var oldest = now;
        if (scope.Kind is FigureScopeKind.Center or FigureScopeKind.Queue)
        {
            foreach (var (_, (queueId, enqueuedAt)) in _waiting)
            {
                if (scope.Kind == FigureScopeKind.Center || string.Equals(queueId, scope.Id, StringComparison.Ordinal))
                {
                    waiting++;
                    oldest = enqueuedAt < oldest ? enqueuedAt : oldest;
                }
            }
        }

        var byState = _stateCounts.TryGetValue(scope, out var counts) ? AgentStateCounts.From(counts) : AgentStateCounts.Empty;

        var today = dayStart ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var end = IntervalStart(now) + _options.IntervalLength;
        return new LiveFigures(
            scope,
            now,
            waiting,
            now - oldest,
            byState,
            Range(scope, today, end),
            Range(scope, IntervalStart(now - rollingWindow), end));
    }

    private void CountState(string agentId, AgentState? from, AgentState to)
    {
        foreach (var scope in StateScopes(agentId))
        {
            if (!_stateCounts.TryGetValue(scope, out var counts))
            {
                counts = new int[StateCount];
                _stateCounts[scope] = counts;
            }

            if (from is { } old)
            {
                counts[(int)old]--;
            }

            counts[(int)to]++;
        }
    }

    /// <summary>Every scope whose agents-by-state include the agent: itself, the center, its team, vendor and queues.</summary>
    private IEnumerable<FigureScope> StateScopes(string agentId)
    {
        yield return FigureScope.Center;
        yield return FigureScope.Agent(agentId);
        if (_agents.TryGetValue(agentId, out var profile))
        {
            yield return FigureScope.Team(profile.TeamId);
            yield return FigureScope.Vendor(profile.VendorId);
            foreach (var queueId in profile.QueuePriorities.Keys)
            {
                yield return FigureScope.Queue(queueId);
            }
        }
    }

    private void PruneCallers(DateTimeOffset now)
    {
        if (_lastCallByCaller.Count < _callersPruneAt)
        {
            return;
        }

        _lastCallByCaller.ForgetBefore(now - _options.RepeatCallWindow);
        _callersPruneAt = Math.Max(1024, _lastCallByCaller.Count * 2);
    }

    private void SplitOverIntervals(string agentId, DateTimeOffset start, DateTimeOffset end, bool busy)
    {
        while (start < end)
        {
            var intervalEnd = IntervalStart(start) + _options.IntervalLength;
            var sliceEnd = intervalEnd < end ? intervalEnd : end;
            var slice = sliceEnd - start;
            foreach (var scope in AgentScopes(agentId))
            {
                Add(Counters(scope, start), slice, busy);
            }

            Add(Counters(FigureScope.Center, start), slice, busy);
            start = sliceEnd;
        }

        static void Add(FigureCounters c, TimeSpan slice, bool busy)
        {
            if (busy)
            {
                c.BusyTime += slice;
            }
            else
            {
                c.AvailableTime += slice;
            }
        }
    }

    private TimeSpan ThresholdOf(string queueId) =>
        _queues.TryGetValue(queueId, out var queue) ? queue.ServiceLevelThreshold : _options.ServiceLevelThreshold;

    private void ForQueue(CallEvent e, Action<FigureCounters> update)
    {
        update(Counters(FigureScope.Queue(e.QueueId), e.At));
        update(Counters(FigureScope.Center, e.At));
    }

    private void ForQueueAndAgent(CallEvent e, string? agentId, Action<FigureCounters> update)
    {
        ForQueue(e, update);
        if (agentId is null)
        {
            return;
        }

        foreach (var scope in AgentScopes(agentId))
        {
            update(Counters(scope, e.At));
        }
    }

    private IEnumerable<FigureScope> AgentScopes(string agentId)
    {
        yield return FigureScope.Agent(agentId);
        if (_agents.TryGetValue(agentId, out var profile))
        {
            yield return FigureScope.Team(profile.TeamId);
            yield return FigureScope.Vendor(profile.VendorId);
        }
    }

    private FigureCounters Counters(FigureScope scope, DateTimeOffset at)
    {
        var key = (scope, Bucket(at));
        if (!_buckets.TryGetValue(key, out var counters))
        {
            counters = new FigureCounters();
            _buckets[key] = counters;
        }

        return counters;
    }

    private long Bucket(DateTimeOffset t) => t.UtcTicks / _options.IntervalLength.Ticks;
}
