namespace Switchboard.Routing.Topics;

/// <summary>
/// The figures of a topic's scope changed (key <c>figures</c>): published at most once every
/// <see cref="Hosting.RoutingOptions.FiguresRefreshInterval"/> for each scope something happened to. A notice,
/// not the figures: a reader asks <see cref="Figures.IFiguresGrain.GetLiveAsync"/> for the window it shows (a
/// wallboard's own rolling window). Carrying the figures themselves (~600 bytes for each scope every second,
/// the latest of each held by its topic) gave every gen0 collection a few hundred kilobytes to copy that no
/// reader used.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.FiguresUpdate")]
public sealed record FiguresUpdate(DateTimeOffset At, long Version) : StatusUpdate(At, Version);
