namespace Switchboard.Routing.Figures;

/// <summary>The figures of one historical interval starting at <paramref name="Start"/>.</summary>
[GenerateSerializer, Immutable, Alias("sb.FigureInterval")]
public sealed record FigureInterval(DateTimeOffset Start, TimeSpan Length, FigureSet Figures);
