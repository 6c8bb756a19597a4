using System.Collections.Immutable;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.Queues;

/// <summary>
/// The waiting calls of one queue, in order, and its matching. A queue grain holds one:
/// <see cref="Enqueue"/> an offered call, <see cref="Match"/> it against available agents (matched calls
/// leave the queue), <see cref="Return"/> it after a reject or no-answer (back at its original place),
/// <see cref="Remove"/> it when abandoned. Order: priority (aging included) descending, then original
/// enqueue time, then arrival. Single-threaded, as a grain turn is.
/// </summary>
public sealed class QueueState
{
    // Smoothing of the recent handle time EWT uses: each handled call moves it 10% of the way.
    private const double HandleTimeSmoothing = 0.1;

    private readonly List<WaitingCall> _calls = [];
    private readonly Dictionary<string, WaitingCall> _byId = new(StringComparer.Ordinal);
    private readonly List<WaitingCall> _ordered = [];
    private readonly QueueMatcher _matcher = new();
    private readonly AgingComparer _agingComparer = new();
    private long _sequence;
    private bool _handleTimeMeasured;

    public QueueState(QueueDefinition definition, RoutingStrategy? strategy = null)
    {
        Definition = definition;
        Strategy = strategy ?? RoutingStrategy.Create(definition.Strategy);
        RecentHandleTime = definition.DefaultHandleTime;
    }

    public QueueDefinition Definition { get; }

    public string QueueId => Definition.QueueId;

    public RoutingStrategy Strategy { get; }

    public int Count => _calls.Count;

    /// <summary>
    /// When set, every call whose entry is put in line, replaced or taken out is added here (the queue grain's
    /// journal looks at those calls only, instead of comparing its whole line at every change).
    /// </summary>
    public HashSet<string>? Touched { get; set; }

    /// <summary>Waiting calls in order of original priority, without aging (use <see cref="OrderAt"/> for the order now).</summary>
    public IReadOnlyList<WaitingCall> Waiting => _calls;

    /// <summary>Exponentially smoothed handle time of this queue's recent calls (EWT uses it).</summary>
    public TimeSpan RecentHandleTime { get; private set; }

    public bool Contains(string callId) => _byId.ContainsKey(callId);

    public WaitingCall? Find(string callId) => _byId.GetValueOrDefault(callId);

    /// <summary>
    /// Puts an offered call in line. <paramref name="preferredAgentId"/> is the agent that handled this caller
    /// last (repeat call): for <see cref="QueueDefinition.RepeatCallerWait"/> only it may take the call.
    /// </summary>
    public WaitingCall Enqueue(Call call, string? preferredAgentId = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!string.Equals(call.QueueId, QueueId, StringComparison.Ordinal))
        {
            throw new RoutingException("wrong-queue", $"call {call.CallId} belongs to queue {call.QueueId}, not {QueueId}");
        }

        if (_byId.ContainsKey(call.CallId))
        {
            throw new RoutingException("duplicate-call", $"call {call.CallId} is already waiting in queue {QueueId}");
        }

        var entry = new WaitingCall(call, ++_sequence, Definition.BasePriorityOf(call), false, preferredAgentId, []);
        Insert(entry);
        return entry;
    }

    /// <summary>
    /// Puts a call back after its offer failed, at its original place (its enqueue time and arrival are
    /// kept, so it is ahead of every call of its priority that came later). <paramref name="declinedBy"/>
    /// is not offered this call again.
    /// </summary>
    public WaitingCall Return(WaitingCall entry, string? declinedBy)
    {
        if (_byId.ContainsKey(entry.CallId))
        {
            throw new RoutingException("duplicate-call", $"call {entry.CallId} is already waiting in queue {QueueId}");
        }

        var returned = declinedBy is null ? entry : entry with { DeclinedBy = entry.DeclinedBy.Add(declinedBy) };
        if (!string.Equals(returned.Call.QueueId, QueueId, StringComparison.Ordinal))
        {
            // An overflowed call keeps its enqueue time but takes this queue's priority rules.
            returned = returned with { BasePriority = Definition.BasePriorityOf(returned.Call) };
        }

        Insert(returned);
        return returned;
    }

    /// <summary>The waiting calls as immutable records, for the queue grain's state row.</summary>
    public ImmutableArray<WaitingCall> Snapshot() => [.. _calls];

    /// <summary>
    /// Puts back calls from a snapshot after an activation, exactly as they were (place, declines,
    /// callbacks, repeat-caller preference). Calls already waiting are refused.
    /// </summary>
    public void Restore(IEnumerable<WaitingCall> entries)
    {
        // Check everything first: a refused snapshot leaves the queue as it was.
        var list = entries.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in list)
        {
            if (!string.Equals(entry.Call.QueueId, QueueId, StringComparison.Ordinal) || _byId.ContainsKey(entry.CallId) || !seen.Add(entry.CallId))
            {
                throw new RoutingException("bad-snapshot", $"call {entry.CallId} of queue {entry.Call.QueueId} cannot be restored into queue {QueueId}");
            }
        }

        foreach (var entry in list)
        {
            Insert(entry);
            _sequence = Math.Max(_sequence, entry.Sequence);
        }
    }

    /// <summary>Takes a call out of line (abandoned, timed out, overflowed, reserved elsewhere).</summary>
    public bool Remove(string callId, out WaitingCall? entry)
    {
        if (!_byId.Remove(callId, out entry))
        {
            return false;
        }

        _calls.RemoveAt(IndexOf(entry));
        CallbackCount -= entry.IsCallback ? 1 : 0;
        Touched?.Add(callId);
        return true;
    }

    /// <summary>Turns a waiting call into a callback that keeps its place (virtual hold).</summary>
    public bool ScheduleCallback(string callId)
    {
        if (!_byId.TryGetValue(callId, out var entry))
        {
            return false;
        }

        var index = IndexOf(entry);
        CallbackCount += entry.IsCallback ? 0 : 1;
        var callback = entry with { IsCallback = true };
        _calls[index] = callback;
        _byId[callId] = callback;
        Touched?.Add(callId);
        return true;
    }

    /// <summary>The calls in the order they will be served at <paramref name="now"/> (aging applied). The list is reused.</summary>
    public IReadOnlyList<WaitingCall> OrderAt(DateTimeOffset now)
    {
        if (Definition.Aging is null)
        {
            return _calls;
        }

        _ordered.Clear();
        _ordered.AddRange(_calls);
        _ordered.Sort(AgingAt(now));
        return _ordered;
    }

    /// <summary>1-based position of a call at <paramref name="now"/>; 0 when it is not waiting here.</summary>
    public int PositionOf(string callId, DateTimeOffset now)
    {
        if (!_byId.TryGetValue(callId, out var entry))
        {
            return 0;
        }

        if (Definition.Aging is null)
        {
            return IndexOf(entry) + 1; // the line's own order: a binary search
        }

        // With aging the order depends on the time: count the calls ahead at now instead of sorting the line.
        var aging = AgingAt(now);
        var ahead = 0;
        for (var i = 0; i < _calls.Count; i++)
        {
            ahead += aging.Compare(_calls[i], entry) < 0 ? 1 : 0;
        }

        return ahead + 1;
    }

    /// <summary>
    /// Estimated wait of a waiting call: EWT = position × recent AHT / agents staffed, where agents staffed
    /// are the agents logged in to this queue and not NotReady (available, ringing, talking or wrapping up).
    /// A caller at position p waits for p calls ahead-or-own to reach an agent; with N agents each freeing
    /// one every AHT, one frees every AHT/N on average. Null when the call is not here or nobody is staffed.
    /// </summary>
    public TimeSpan? EstimatedWait(string callId, DateTimeOffset now, int agentsStaffed) =>
        EstimatedWaitAt(PositionOf(callId, now), agentsStaffed);

    /// <summary>The estimated wait of the call at <paramref name="position"/> (1-based; 0: not waiting here).</summary>
    public TimeSpan? EstimatedWaitAt(int position, int agentsStaffed) =>
        position == 0 || agentsStaffed <= 0 ? null : RecentHandleTime * position / agentsStaffed;

    /// <summary>Feeds the handle time (talk + hold + wrap-up) of a call this queue handled into EWT's AHT.</summary>
    public void RecordHandleTime(TimeSpan handleTime)
    {
        if (handleTime < TimeSpan.Zero)
        {
            return;
        }

        RecentHandleTime = _handleTimeMeasured
            ? RecentHandleTime + ((handleTime - RecentHandleTime) * HandleTimeSmoothing)
            : handleTime;
        _handleTimeMeasured = true;
    }

    /// <summary>Age of the oldest waiting call (callbacks included: they wait too); zero when empty.</summary>
    public TimeSpan LongestWait(DateTimeOffset now) =>
        OldestEnqueuedAt() is { } oldest && now > oldest ? now - oldest : TimeSpan.Zero;

    /// <summary>The waiting calls that are callbacks (kept up to date as the line changes).</summary>
    public int CallbackCount { get; private set; }

    /// <summary>
    /// When the oldest waiting call was put in line (callbacks included); null when none waits. The line is ordered by
    /// priority, then by enqueue time, so only the first call of each priority is looked at, not the whole line.
    /// </summary>
    public DateTimeOffset? OldestEnqueuedAt()
    {
        DateTimeOffset? oldest = null;
        var i = 0;
        while (i < _calls.Count)
        {
            var head = _calls[i];
            if (oldest is null || head.EnqueuedAt < oldest)
            {
                oldest = head.EnqueuedAt;
            }

            // Past the calls of this priority: priorities only descend along the line.
            var (lo, hi) = (i + 1, _calls.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_calls[mid].BasePriority >= head.BasePriority)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            i = lo;
        }

        return oldest;
    }

    /// <summary>
    /// Finds the calls that reached the maximum wait and applies the queue's action to the queue: Overflow
    /// and Voicemail take them out, Callback turns them into callbacks in place. Callbacks never expire.
    /// The affected entries are appended to <paramref name="expired"/> for the call grains to act on.
    /// </summary>
    public int ExpireWaits(DateTimeOffset now, List<WaitingCall> expired)
    {
        if (Definition.MaxWait is not { } maxWait || Definition.MaxWaitAction == MaxWaitAction.None)
        {
            return 0;
        }

        var count = 0;
        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            var entry = _calls[i];
            if (entry.IsCallback || now - entry.EnqueuedAt < maxWait)
            {
                continue;
            }

            count++;
            Touched?.Add(entry.CallId);
            if (Definition.MaxWaitAction == MaxWaitAction.Callback)
            {
                var callback = entry with { IsCallback = true };
                _calls[i] = callback;
                _byId[entry.CallId] = callback;
                CallbackCount++;
                expired.Add(callback);
            }
            else
            {
                _calls.RemoveAt(i);
                _byId.Remove(entry.CallId);
                expired.Add(entry);
            }
        }

        return count;
    }

    /// <summary>
    /// Matches waiting calls with <paramref name="candidates"/> (available agents, each used at most once)
    /// and takes the matched calls out of the queue; returns how many reservations it appended.
    /// </summary>
    public int Match(ReadOnlySpan<AgentCandidate> candidates, DateTimeOffset now, List<Reservation> reservations, int maxMatches = int.MaxValue)
    {
        var start = reservations.Count;
        var matched = _matcher.Match(Definition, OrderAt(now), candidates, Strategy, now, reservations, maxMatches);
        for (var i = start; i < reservations.Count; i++)
        {
            Remove(reservations[i].CallId, out _);
        }

        return matched;
    }

    /// <summary>
    /// Matches one waiting call only (a call just offered or returned) when the other waiting calls are
    /// known to fit none of <paramref name="candidates"/>: O(agents) instead of O(calls × agents).
    /// On success the call leaves the queue.
    /// </summary>
    public bool MatchCall(WaitingCall entry, ReadOnlySpan<AgentCandidate> candidates, DateTimeOffset now, out Reservation reservation)
    {
        reservation = default;
        if (candidates.IsEmpty || !_byId.ContainsKey(entry.CallId))
        {
            return false;
        }

        var chosen = _matcher.SelectAgent(Definition, entry, candidates, default, Strategy, now);
        if (chosen < 0)
        {
            return false;
        }

        Remove(entry.CallId, out _);
        reservation = new Reservation(entry, candidates[chosen].AgentId, now);
        return true;
    }

    /// <summary>The first waiting call (in order at <paramref name="now"/>) that <paramref name="agent"/> may take; null when none.</summary>
    public WaitingCall? FindCallFor(in AgentCandidate agent, DateTimeOffset now)
    {
        var order = OrderAt(now);
        for (var i = 0; i < order.Count; i++)
        {
            if (Eligibility.IsEligible(Definition, order[i], agent.Profile, now, out _))
            {
                return order[i];
            }
        }

        return null;
    }

    /// <summary>Takes <paramref name="entry"/> out of line for <paramref name="agent"/>: the agent-driven half of matching.</summary>
    public Reservation Take(WaitingCall entry, in AgentCandidate agent, DateTimeOffset now)
    {
        if (!Remove(entry.CallId, out var removed))
        {
            throw new RoutingException("not-waiting", $"call {entry.CallId} is not waiting in queue {QueueId}");
        }

        if (Strategy is RoundRobinStrategy)
        {
            // Keep the rotation honest when an agent, not the queue, started the match.
            Strategy.Choose(new ReadOnlySpan<AgentCandidate>(in agent), removed!);
        }

        return new Reservation(removed!, agent.AgentId, now);
    }

    private void Insert(WaitingCall entry)
    {
        var lo = 0;
        var hi = _calls.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (CompareBase(_calls[mid], entry) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        _calls.Insert(lo, entry);
        _byId[entry.CallId] = entry;
        CallbackCount += entry.IsCallback ? 1 : 0;
        Touched?.Add(entry.CallId);
    }

    /// <summary>The order of calls at <paramref name="now"/> under the queue's aging.</summary>
    private AgingComparer AgingAt(DateTimeOffset now)
    {
        _agingComparer.Now = now;
        _agingComparer.Aging = Definition.Aging;
        return _agingComparer;
    }

    private int IndexOf(WaitingCall entry)
    {
        // Binary search on the base order finds it without scanning the whole line.
        var lo = 0;
        var hi = _calls.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = CompareBase(_calls[mid], entry);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        throw new InvalidOperationException($"call {entry.CallId} is indexed but not in line in queue {QueueId}");
    }

    private static int CompareBase(WaitingCall a, WaitingCall b)
    {
        if (a.BasePriority != b.BasePriority)
        {
            return a.BasePriority > b.BasePriority ? -1 : 1;
        }

        var t = a.EnqueuedAt.CompareTo(b.EnqueuedAt);
        if (t != 0)
        {
            return t;
        }

        var s = a.Sequence.CompareTo(b.Sequence);
        return s != 0 ? s : string.CompareOrdinal(a.CallId, b.CallId);
    }

    private sealed class AgingComparer : IComparer<WaitingCall>
    {
        public DateTimeOffset Now { get; set; }

        public PriorityAging? Aging { get; set; }

        public int Compare(WaitingCall? x, WaitingCall? y)
        {
            // Equal priority now means FIFO by original enqueue time, whatever the priorities were at enqueue.
            var px = x!.PriorityAt(Now, Aging);
            var py = y!.PriorityAt(Now, Aging);
            if (px != py)
            {
                return px > py ? -1 : 1;
            }

            var t = x.EnqueuedAt.CompareTo(y.EnqueuedAt);
            return t != 0 ? t : CompareBase(x, y);
        }
    }
}
