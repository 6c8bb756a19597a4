using Grpc.Core;
using Orleans;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Errors;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Mapping;
using Switchboard.Gateway.Security;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Staffing;
using Switchboard.Routing.Topics;
using RoutingAgentStatus = Switchboard.Routing.Agents.AgentStatus;

namespace Switchboard.Gateway.Wallboards;

/// <summary>
/// <c>switchboard.v1.Wallboard</c>: live figures per scope (snapshot, then changes, at most one update per
/// scope per min_update_interval), historical intervals and Erlang C staffing.
/// </summary>
internal sealed class WallboardService(
    IGrainFactory grains,
    ITopicHub streams,
    GatewayAccess access,
    GatewayLifetime lifetime) : Wallboard.WallboardBase
{
    private const int MaxScopes = 64;
    private static readonly TimeSpan DefaultUpdateInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinUpdateInterval = TimeSpan.FromMilliseconds(100);


    private IFiguresGrain Figures => grains.GetGrain<IFiguresGrain>(IFiguresGrain.Key);

    /// <summary>Checks every scope (shape, existence, permission) before anything is sent.</summary>
    private async Task CheckScopesAsync(Caller caller, IList<Scope> scopes, CancellationToken cancellationToken)
    {
        if (scopes.Count is 0 or > MaxScopes)
        {
            throw RequestValidation.Invalid($"scopes has {scopes.Count} entries; give 1 to {MaxScopes}");
        }
        CenterConfiguration? center = null;
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i];
            if (scope.Kind is ScopeKind.Queue or ScopeKind.Team or ScopeKind.Vendor or ScopeKind.Agent)
            {
                RequestValidation.Id(scope.Id, $"scopes[{i}].id");
                center ??= (await grains.GetGrain<ICenterGrain>(ICenterGrain.Key).GetAsync()).Configuration;
                var exists = scope.Kind switch
                {
                    ScopeKind.Queue => center.QueuesById.ContainsKey(scope.Id),
                    ScopeKind.Team => center.TeamsById.ContainsKey(scope.Id),
                    ScopeKind.Vendor => center.VendorsById.ContainsKey(scope.Id),
                    _ => center.AgentsById.ContainsKey(scope.Id),
                };
                if (!exists)
                {
                    throw RequestValidation.NotFound($"scopes[{i}]: {FiguresMapping.Scope(scope)} does not exist");
                }
            }
            await access.CheckScopeAsync(caller, scope, $"scopes[{i}]", cancellationToken);
        }
    }

    public override async Task Subscribe(WallboardSubscribeRequest request, IServerStreamWriter<WallboardUpdate> responses, ServerCallContext context)
    {
        var caller = access.Authenticate(context);
        var interval = request.MinUpdateInterval?.ToTimeSpan() ?? DefaultUpdateInterval;
        if (interval < MinUpdateInterval)
        {
            throw RequestValidation.Invalid($"min_update_interval is {interval.TotalMilliseconds} ms; it must be at least 100 ms");
        }
        await CheckScopesAsync(caller, request.Scopes, context.CancellationToken);
        var rolling = Rolling(request.Window);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.Stopping);
        using var writeLock = new SemaphoreSlim(1, 1);
        var boards = request.Scopes.Select(scope => new ScopeBoard(
            scope.Clone(),
            streams.GetTopic<StatusUpdate>(TopicOf(scope)).Subscribe(),
            request.IncludeAgents && scope.Kind is ScopeKind.Team or ScopeKind.Agent)).ToList();
        // Agents' display names, read once per subscription (a renamed agent shows its new name on the next one).
        var agents = boards.Any(b => b.IncludeAgents)
            ? (await grains.GetGrain<ICenterGrain>(ICenterGrain.Key).GetAsync()).Configuration.AgentsById
            : null;
        try
        {
            // Snapshots of every scope first, then each scope's changes at its own pace.
            foreach (var board in boards)
            {
                board.Take(board.Subscription.Snapshot);
                await responses.WriteAsync(await BuildAsync(board, rolling, snapshot: true, agents), stop.Token);
            }
            await Task.WhenAll(boards.Select(board => FollowAsync(board)));
        }
        catch (OperationCanceledException) when (lifetime.Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw GatewayLifetime.Unavailable();
        }
        finally
        {
            foreach (var board in boards)
            {
                board.Subscription.Dispose();
            }
        }

        async Task FollowAsync(ScopeBoard board)
        {
            while (!stop.IsCancellationRequested)
            {
                var item = await board.Subscription.ReadAsync(stop.Token);
                board.Take([item]);
                // Let changes gather for the interval: the subscription coalesces them per key meanwhile.
                await Task.Delay(interval, stop.Token);
                while (board.Subscription.PendingCount > 0)
                {
                    board.Take([await board.Subscription.ReadAsync(stop.Token)]);
                }
                var update = await BuildAsync(board, rolling, snapshot: false, agents);
                await writeLock.WaitAsync(stop.Token);
                try
                {
                    await responses.WriteAsync(update, stop.Token);
                }
                finally
                {
                    writeLock.Release();
                }
            }
        }
    }

    private async Task<WallboardUpdate> BuildAsync(ScopeBoard board, TimeSpan? rolling, bool snapshot, IReadOnlyDictionary<string, Routing.Agents.AgentProfile>? agents)
    {
        var live = await Figures.GetLiveAsync(FiguresMapping.Scope(board.Scope), rolling ?? TimeSpan.FromMinutes(15));
        var set = rolling is null ? live.Today : live.Rolling;
        var start = rolling is { } window ? live.At - window : new DateTimeOffset(live.At.UtcDateTime.Date, TimeSpan.Zero);
        var figures = FiguresMapping.Figures(board.Scope, set, start, live.At, 20);
        figures.CallsWaiting = live.CallsWaiting;
        figures.LongestWaitSeconds = live.LongestWait.TotalSeconds;
        figures.Agents = FiguresMapping.Agents(live.AgentsByState);
        var update = new WallboardUpdate
        {
            Scope = board.Scope.Clone(),
            Version = board.Version,
            Snapshot = snapshot,
            Figures = figures,
        };
        if (live.CallsWaiting > 0)
        {
            update.OldestWaitingSince = ContractMapping.Time(board.OldestWaitingSince ?? live.At - live.LongestWait);
        }
        if (board.IncludeAgents)
        {
            foreach (var status in board.Agents.Values.OrderBy(s => s.AgentId, StringComparer.Ordinal))
            {
                var name = agents?.GetValueOrDefault(status.AgentId)?.DisplayName ?? status.AgentId;
                update.Agents.Add(new AgentPresence { DisplayName = name, Status = ContractMapping.Status(status) });
            }
        }
        return update;
    }

    public override async Task<GetFiguresResponse> GetFigures(GetFiguresRequest request, ServerCallContext context)
    {
        var caller = access.Authenticate(context);
        if (request.From is null || request.To is null)
        {
            throw RequestValidation.Invalid(request.From is null ? "from is required" : "to is required");
        }
        var length = request.Granularity switch
        {
            Granularity._15Min => TimeSpan.FromMinutes(15),
            Granularity._30Min => TimeSpan.FromMinutes(30),
            _ => throw RequestValidation.Invalid("granularity is required: GRANULARITY_15_MIN or GRANULARITY_30_MIN"),
        };
        var from = request.From.ToDateTimeOffset();
        var to = request.To.ToDateTimeOffset();
        if (from >= to)
        {
            throw RequestValidation.Invalid($"from ({from:O}) must be before to ({to:O})");
        }
        if (to - from > TimeSpan.FromDays(31))
        {
            throw RequestValidation.Invalid($"the range from {from:O} to {to:O} is over 31 days");
        }
        await CheckScopesAsync(caller, request.Scopes, context.CancellationToken);
        from = Floor(from, length);
        to = Floor(to.AddTicks(length.Ticks - 1), length);
        var response = new GetFiguresResponse();
        foreach (var scope in request.Scopes)
        {
            var report = await Figures.GetIntervalsAsync(FiguresMapping.Scope(scope), from, to);
            var series = new FigureSeries { Scope = scope.Clone() };
            var now = DateTimeOffset.UtcNow;
            foreach (var group in report.Intervals.GroupBy(i => Floor(i.Start, length)).OrderBy(g => g.Key))
            {
                if (group.Key > now)
                {
                    continue;
                }
                var sets = group.Select(i => i.Figures).ToList();
                var figures = FiguresMapping.Figures(scope, sets.Count == 1 ? sets[0] : FiguresMapping.Merge(sets), group.Key, group.Key + length, 20);
                figures.Partial = group.Key + length > now;
                series.Intervals.Add(figures);
            }
            series.Total = FiguresMapping.Figures(scope, report.Total, from, to, 20);
            response.Series.Add(series);
        }
        return response;
    }

    public override async Task<GetStaffingResponse> GetStaffing(GetStaffingRequest request, ServerCallContext context)
    {
        var caller = access.RequireSupervisorOrAdmin(context, "compute staffing");
        if (request.CallsPerInterval < 0 || double.IsNaN(request.CallsPerInterval))
        {
            throw RequestValidation.Invalid($"calls_per_interval is {request.CallsPerInterval}; it must be at least 0");
        }
        var interval = request.Interval?.ToTimeSpan() ?? TimeSpan.FromMinutes(30);
        if (interval != TimeSpan.FromMinutes(15) && interval != TimeSpan.FromMinutes(30) && interval != TimeSpan.FromMinutes(60))
        {
            throw RequestValidation.Invalid($"interval is {interval}; it must be 15, 30 or 60 minutes");
        }
        var aht = request.AverageHandleTime?.ToTimeSpan() ?? TimeSpan.Zero;
        if (aht <= TimeSpan.Zero)
        {
            throw RequestValidation.Invalid("average_handle_time is required and must be positive");
        }
        var target = request.HasTargetServiceLevel ? request.TargetServiceLevel : 0.8;
        if (!(target > 0 && target < 1))
        {
            throw RequestValidation.Invalid($"target_service_level is {target}; it must be between 0 and 1, exclusive");
        }
        var threshold = request.ServiceLevelThreshold?.ToTimeSpan() ?? TimeSpan.FromSeconds(20);
        if (threshold < TimeSpan.Zero)
        {
            throw RequestValidation.Invalid($"service_level_threshold is {threshold}; it must not be negative");
        }
        var load = ErlangC.OfferedLoad(request.CallsPerInterval, interval, aht);
        if (load > 100_000)
        {
            throw RequestValidation.Invalid($"an offered load of {load:F0} erlangs would need more than 100,000 agents");
        }
        FigureScope? scope = null;
        if (request.Scope is { } given)
        {
            await CheckScopesAsync(caller, [given], context.CancellationToken);
            scope = FiguresMapping.Scope(given);
        }
        var answer = await Figures.GetStaffingAsync(new StaffingRequest(request.CallsPerInterval, interval, aht, target, threshold, scope));
        var response = new GetStaffingResponse
        {
            OfferedLoadErlangs = answer.OfferedLoad,
            AgentsNeeded = answer.AgentsNeeded,
            PredictedServiceLevel = answer.PredictedServiceLevel,
            PredictedAsaSeconds = answer.PredictedAverageSpeedOfAnswer?.TotalSeconds ?? 0,
            ProbabilityOfWait = answer.AgentsNeeded > 0 ? ErlangC.ProbabilityOfWaiting(answer.AgentsNeeded, answer.OfferedLoad) : 0,
            PredictedOccupancy = answer.AgentsNeeded > 0 ? answer.OfferedLoad / answer.AgentsNeeded : 0,
        };
        if (scope is not null)
        {
            response.AgentsLoggedIn = answer.Gap.AgentsLoggedIn;
            response.Gap = answer.Gap.AgentsLoggedIn - answer.AgentsNeeded;
        }
        return response;
    }

    private static TimeSpan? Rolling(LiveWindow window) => window switch
    {
        LiveWindow.Rolling15Min => TimeSpan.FromMinutes(15),
        LiveWindow.Rolling30Min => TimeSpan.FromMinutes(30),
        LiveWindow.Rolling60Min => TimeSpan.FromMinutes(60),
        _ => null,
    };

    private static DateTimeOffset Floor(DateTimeOffset value, TimeSpan length) =>
        new(value.UtcTicks - value.UtcTicks % length.Ticks, TimeSpan.Zero);

    private static string TopicOf(Scope scope) => scope.Kind switch
    {
        ScopeKind.Queue => RoutingTopics.Queue(scope.Id),
        ScopeKind.Team => RoutingTopics.Team(scope.Id),
        ScopeKind.Vendor => RoutingTopics.Vendor(scope.Id),
        ScopeKind.Agent => RoutingTopics.Agent(scope.Id),
        _ => RoutingTopics.Center,
    };

    /// <summary>One scope of a wallboard stream: its topic subscription and what it has seen.</summary>
    private sealed class ScopeBoard(Scope scope, TopicSubscription<StatusUpdate> subscription, bool includeAgents)
    {
        private long _seen;

        public Scope Scope { get; } = scope;

        public TopicSubscription<StatusUpdate> Subscription { get; } = subscription;

        public bool IncludeAgents { get; } = includeAgents;

        public Dictionary<string, RoutingAgentStatus> Agents { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? OldestWaitingSince { get; private set; }

        /// <summary>Changes seen, coalesced ones included: a gap between two updates means skipped values.</summary>
        public ulong Version => (ulong)(_seen + Subscription.CoalescedCount);

        public void Take(IEnumerable<TopicItem<StatusUpdate>> items)
        {
            foreach (var item in items)
            {
                _seen++;
                switch (item.Value)
                {
                    case RoutingAgentStatus agent when IncludeAgents:
                        if (item.Removed)
                        {
                            Agents.Remove(item.Key);
                        }
                        else
                        {
                            Agents[agent.AgentId] = agent;
                        }
                        break;
                    case QueueStatus queue when Scope.Kind == ScopeKind.Queue:
                        OldestWaitingSince = queue.OldestWaitingSince;
                        break;
                }
            }
        }
    }
}
