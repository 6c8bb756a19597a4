using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Staffing;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Figures;

/// <summary>
/// Figures computed from the journal, nothing else: live figures follow the store's journal (every call and agent
/// stream, in global append order) from the start of the day, and are published on each touched scope's topic;
/// historical intervals are recomputed from the stored journal of the asked window, so they survive a restart.
/// </summary>
[CollectionAgeLimit(Minutes = 1440)]
internal sealed class FiguresGrain(
    IEventJournal journal,
    CenterDirectory directory,
    ITopicHub streams,
    TimeProvider time,
    IOptions<RoutingOptions> options,
    ILogger<FiguresGrain> logger) : Grain, IFiguresGrain, IFiguresFeed
{
    // How many records may wait in the store's feed before the grain takes them between refreshes: taken soon, the
    // appended objects die young instead of surviving a collection.
    private const int FeedBacklog = 256;

    private readonly RoutingOptions _options = options.Value;
    private readonly HashSet<FigureScope> _touched = [];
    private readonly Dictionary<FigureScope, ITopic<StatusUpdate>> _topics = [];
    private FiguresAccumulator _live = null!;
    private DateTimeOffset _dayStart;
    private long _position;
    private long _version;
    private IGrainTimer? _timer;
    private JournalFollower? _follower;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Follow();
        await StartDayAsync(time.GetUtcNow(), cancellationToken);
        _timer = this.RegisterGrainTimer(OnRefreshAsync, new GrainTimerCreationOptions(_options.FiguresRefreshInterval, _options.FiguresRefreshInterval) { KeepAlive = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _follower?.Dispose();
        _follower = null;
        return Task.CompletedTask;
    }

    public Task TakeFromFeedAsync() => CatchUpAsync(CancellationToken.None);

    public async Task<LiveFigures> GetLiveAsync(FigureScope scope, TimeSpan rollingWindow)
    {
        await CatchUpAsync(CancellationToken.None);
        return _live.Live(scope, time.GetUtcNow(), rollingWindow, _dayStart);
    }

    public async Task<FigureReport> GetIntervalsAsync(FigureScope scope, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new ArgumentException($"the figures range [{from:O}, {to:O}) is empty", nameof(to));
        }

        if (to - from > TimeSpan.FromDays(31))
        {
            throw new ArgumentException($"the figures range [{from:O}, {to:O}) is longer than 31 days", nameof(to));
        }

        var accumulator = NewAccumulator();
        var start = accumulator.IntervalStart(from);
        await foreach (var record in journal.ReadAsync(new JournalQuery { From = start, To = to, Types = RoutingJournal.EventTypes }, CancellationToken.None))
        {
            Apply(accumulator, record, null);
        }

        var intervals = accumulator.Intervals(scope, start, to)
            .Select(p => new FigureInterval(p.Key, accumulator.Options.IntervalLength, p.Value))
            .ToList();
        return new FigureReport(scope, start, to, intervals, accumulator.Range(scope, start, to));
    }

    public async Task<StaffingAnswer> GetStaffingAsync(StaffingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CallsPerInterval < 0 || request.Interval <= TimeSpan.Zero || request.AverageHandleTime <= TimeSpan.Zero
            || request.TargetServiceLevel is <= 0 or >= 1)
        {
            throw new ArgumentException(
                "staffing needs calls per interval >= 0, a positive interval and handle time, and a target service level between 0 and 1", nameof(request));
        }

        await CatchUpAsync(CancellationToken.None);
        var threshold = request.ServiceLevelThreshold ?? TimeSpan.FromSeconds(20);
        var live = _live.Live(request.Scope ?? FigureScope.Center, time.GetUtcNow(), TimeSpan.FromMinutes(15), _dayStart);
        var loggedIn = live.AgentsByState.Where(p => p.Key != AgentState.LoggedOut).Sum(p => p.Value);
        var gap = ErlangC.Gap(request.CallsPerInterval, request.Interval, request.AverageHandleTime, threshold, request.TargetServiceLevel, loggedIn);
        var serviceLevel = gap.AgentsNeeded > gap.OfferedLoad
            ? ErlangC.ServiceLevel(gap.AgentsNeeded, gap.OfferedLoad, request.AverageHandleTime, threshold)
            : 0;
        var asa = ErlangC.AverageSpeedOfAnswer(gap.AgentsNeeded, gap.OfferedLoad, request.AverageHandleTime);
        return new StaffingAnswer(gap.OfferedLoad, gap.AgentsNeeded, serviceLevel, asa, gap);
    }

    private async Task OnRefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _dayStart >= TimeSpan.FromDays(1))
        {
            await StartDayAsync(now, cancellationToken);
        }

        await CatchUpAsync(cancellationToken);
        if (_touched.Count == 0)
        {
            return;
        }

        _touched.Add(FigureScope.Center);
        foreach (var scope in _touched)
        {
            Topic(scope).Publish(RoutingTopics.FiguresKey, new FiguresUpdate(now, ++_version));
        }
        _touched.Clear();
    }

    private ITopic<StatusUpdate> Topic(FigureScope scope)
    {
        if (!_topics.TryGetValue(scope, out var topic))
        {
            topic = streams.GetTopic<StatusUpdate>(TopicOf(scope));
            _topics.Add(scope, topic);
        }
        return topic;
    }

    private async Task StartDayAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        _live = NewAccumulator();
        _position = 0;
        await foreach (var record in journal.ReadAsync(new JournalQuery { From = _dayStart, Types = RoutingJournal.EventTypes }, cancellationToken))
        {
            Apply(_live, record, _touched);
            _position = Math.Max(_position, record.Position);
        }
    }

    /// <summary>
    /// Takes the call and agent records committed since the last position: from the store's feed when it has one
    /// (the appended events themselves, nothing read back or decoded), else, or when the feed dropped records, from
    /// the stored journal.
    /// </summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_follower is { } follower)
        {
            while (follower.TryTake(out var record))
            {
                if (record.Position > _position)
                {
                    Apply(_live, record, _touched);
                    _position = record.Position;
                }
            }

            if (!follower.Overflowed)
            {
                return;
            }

            follower.Dispose();
            Follow();
        }

        await foreach (var record in journal.ReadAsync(new JournalQuery { AfterPosition = _position, Types = RoutingJournal.EventTypes }, cancellationToken))
        {
            Apply(_live, record, _touched);
            _position = Math.Max(_position, record.Position);
        }
    }

    // Follow before reading the store, so every record is either read or taken (positions already read are skipped).
    private void Follow()
    {
        if (journal.Feed is not { } feed)
        {
            return;
        }

        _follower = feed.Follow(RoutingJournal.EventTypes);
        var self = GrainFactory.GetGrain<IFiguresFeed>(IFiguresGrain.Key);
        var log = logger;
        // The signal comes on the store's commit thread: hop to the pool so no grain work ever runs there.
        _follower.SignalWhenWaiting(FeedBacklog, () => ThreadPool.UnsafeQueueUserWorkItem(
            static state => OneWay.Observe(state.self.TakeFromFeedAsync(), state.log), (self, log), preferLocal: false));
    }

    private FiguresAccumulator NewAccumulator()
    {
        var c = directory.Configuration;
        return new FiguresAccumulator(_options.Figures, c.AgentsById, c.QueuesById);
    }

    private void Apply(FiguresAccumulator accumulator, JournalRecord record, HashSet<FigureScope>? touched)
    {
        switch (RoutingJournal.ReadEvent(record))
        {
            case CallEvent call:
                accumulator.Apply(call);
                touched?.Add(FigureScope.Queue(call.QueueId));
                break;
            case AgentEvent agent:
                accumulator.Apply(agent);
                if (touched is not null)
                {
                    touched.Add(FigureScope.Agent(agent.AgentId));
                    if (directory.FindAgent(agent.AgentId) is { } profile)
                    {
                        touched.Add(FigureScope.Team(profile.TeamId));
                        touched.Add(FigureScope.Vendor(profile.VendorId));
                    }
                }

                break;
        }
    }

    private static string TopicOf(FigureScope scope) => scope.Kind switch
    {
        FigureScopeKind.Queue => RoutingTopics.Queue(scope.Id),
        FigureScopeKind.Team => RoutingTopics.Team(scope.Id),
        FigureScopeKind.Vendor => RoutingTopics.Vendor(scope.Id),
        FigureScopeKind.Agent => RoutingTopics.Agent(scope.Id),
        _ => RoutingTopics.Center,
    };
}
