namespace Switchboard.Routing.Figures;

/// <summary>Figures of a scope over [From, To): every interval (15 min by default) and the total, whose ratios are recomputed from the summed counts.</summary>
[GenerateSerializer, Immutable, Alias("sb.FigureReport")]
public sealed record FigureReport(FigureScope Scope, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<FigureInterval> Intervals, FigureSet Total);
