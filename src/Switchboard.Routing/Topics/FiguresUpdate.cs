using Switchboard.Routing.Figures;

namespace Switchboard.Routing.Topics;

/// <summary>
/// The live figures of a topic's scope (key <c>figures</c>), computed from the journal: today so far and
/// the rolling window of <see cref="Hosting.RoutingOptions.LiveFiguresWindow"/>; refreshed every
/// <see cref="Hosting.RoutingOptions.FiguresRefreshInterval"/> when something changed.
/// </summary>
public sealed record FiguresUpdate(DateTimeOffset At, long Version, LiveFigures Figures) : StatusUpdate(At, Version);
