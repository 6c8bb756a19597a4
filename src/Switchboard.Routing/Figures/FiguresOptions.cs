namespace Switchboard.Routing.Figures;

/// <summary>The variants of the figures (DOMAIN.md): defaults first, as the classic definitions.</summary>
[GenerateSerializer, Immutable, Alias("sb.FiguresOptions")]
public sealed record FiguresOptions
{
    /// <summary>Length of a historical interval. Default 15 min (30 min is the other common choice).</summary>
    [Id(0)]
    public TimeSpan IntervalLength { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>T of the service level for queues without their own. Default 20 s.</summary>
    [Id(1)]
    public TimeSpan ServiceLevelThreshold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether abandons shorter than <see cref="ShortAbandonThreshold"/> leave the abandon rate (numerator and offered). Default no.</summary>
    [Id(2)]
    public bool ExcludeShortAbandons { get; init; }

    /// <summary>An abandon before this wait is a short abandon. Default 5 s.</summary>
    [Id(3)]
    public TimeSpan ShortAbandonThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A call from a caller who called within this window before is a repeat call. Default 24 h.</summary>
    [Id(4)]
    public TimeSpan RepeatCallWindow { get; init; } = TimeSpan.FromHours(24);
}
