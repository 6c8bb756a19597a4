namespace Switchboard.Routing.Figures;

/// <summary>
/// The figures of one scope over one period (DOMAIN.md, "Figures"). A ratio is null when its denominator
/// is zero (no calls is not 0 % nor 100 %). Counts are kept beside the ratios so a wallboard can show both.
/// A value, not an object: live figures hold two of them and are replaced every second for each scope touched,
/// so each one kept as an object of its own was one more for every gen0 collection to copy. The default value
/// is the figures of a period with no calls.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.FigureSet")]
public readonly record struct FigureSet
{
    [Id(0)]
    public long Offered { get; init; }

    [Id(1)]
    public long Answered { get; init; }

    [Id(2)]
    public long Abandoned { get; init; }

    [Id(3)]
    public long ShortAbandoned { get; init; }

    [Id(4)]
    public long TimedOut { get; init; }

    [Id(5)]
    public long Overflowed { get; init; }

    /// <summary>Calls whose conversation ended (completed or transferred) in the period.</summary>
    [Id(6)]
    public long Handled { get; init; }

    /// <summary>Offers made to agents (reservations).</summary>
    [Id(7)]
    public long Offers { get; init; }

    /// <summary>Offers rejected or rung out.</summary>
    [Id(8)]
    public long MissedOffers { get; init; }

    [Id(9)]
    public long RepeatCalls { get; init; }

    [Id(10)]
    public long Surveys { get; init; }

    /// <summary>Answered within T / (answered + abandoned after T).</summary>
    [Id(11)]
    public double? ServiceLevel { get; init; }

    /// <summary>Total queue wait of answered calls / answered calls.</summary>
    [Id(12)]
    public TimeSpan? AverageSpeedOfAnswer { get; init; }

    /// <summary>Answered / offered.</summary>
    [Id(13)]
    public double? AnswerRate { get; init; }

    /// <summary>Abandoned / offered (short abandons out of both when so configured).</summary>
    [Id(14)]
    public double? AbandonRate { get; init; }

    /// <summary>(Talk + hold + wrap-up) / handled calls.</summary>
    [Id(15)]
    public TimeSpan? AverageHandleTime { get; init; }

    /// <summary>(Talk + hold + wrap-up time) / (that + available time), from agent states; null for queues.</summary>
    [Id(16)]
    public double? Occupancy { get; init; }

    /// <summary>Calls from a caller who called within the repeat window / offered calls.</summary>
    [Id(17)]
    public double? RepeatCallRate { get; init; }

    /// <summary>Mean survey score (1-5).</summary>
    [Id(18)]
    public double? SatisfactionMean { get; init; }

    /// <summary>Share of survey scores that are 4 or 5.</summary>
    [Id(19)]
    public double? SatisfactionTopBoxRate { get; init; }

    /// <summary>Offers rejected or rung out / offers.</summary>
    [Id(20)]
    public double? MissedOfferRate { get; init; }
}
