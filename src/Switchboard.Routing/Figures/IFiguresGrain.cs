using Switchboard.Routing.Staffing;

namespace Switchboard.Routing.Figures;

/// <summary>
/// Figures for queues, teams, vendors, agents and the center, computed from the call and agent journals
/// (key <see cref="Key"/>). Live figures follow the journal as it grows and are published on each scope's
/// topic under key <c>figures</c>; historical intervals are recomputed from the stored journal for any past
/// range, so they survive a restart.
/// </summary>
public interface IFiguresGrain : IGrainWithStringKey
{
    /// <summary>The only key of the figures grain.</summary>
    const string Key = "center";

    /// <summary>Live figures of a scope: today so far and the rolling <paramref name="rollingWindow"/> (15, 30 or 60 min).</summary>
    Task<LiveFigures> GetLiveAsync(FigureScope scope, TimeSpan rollingWindow);

    /// <summary>Figures of a scope for every interval in [<paramref name="from"/>, <paramref name="to"/>), read from the stored journal.</summary>
    Task<FigureReport> GetIntervalsAsync(FigureScope scope, DateTimeOffset from, DateTimeOffset to);

    /// <summary>Erlang C staffing, with the gap against the agents logged in now in the request's scope.</summary>
    Task<StaffingAnswer> GetStaffingAsync(StaffingRequest request);
}

/// <summary>The figures grain's surface for its store's journal feed: take the records waiting (not for the gateway).</summary>
internal interface IFiguresFeed : IGrainWithStringKey
{
    /// <summary>Applies the call and agent records waiting in the feed (or read from the store if it dropped some).</summary>
    Task TakeFromFeedAsync();
}
