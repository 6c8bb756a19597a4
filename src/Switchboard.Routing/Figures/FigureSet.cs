namespace Switchboard.Routing.Figures;

/// <summary>
/// The figures of one scope over one period (DOMAIN.md, "Figures"). A ratio is null when its denominator
/// is zero (no calls is not 0 % nor 100 %). Counts are kept beside the ratios so a wallboard can show both.
/// A value, not an object: live figures hold two of them and are replaced every second for each scope touched,
/// so each one kept as an object of its own was one more for every gen0 collection to copy. The default value
/// is the figures of a period with no calls.
/// </summary>
public readonly record struct FigureSet
{
    public long Offered { get; init; }

    public long Answered { get; init; }

    public long Abandoned { get; init; }

    public long ShortAbandoned { get; init; }

    public long TimedOut { get; init; }

    public long Overflowed { get; init; }

    /// <summary>Calls whose conversation ended (completed or transferred) in the period.</summary>
    public long Handled { get; init; }

    /// <summary>Offers made to agents (reservations).</summary>
    public long Offers { get; init; }

    /// <summary>Offers rejected or rung out.</summary>
    public long MissedOffers { get; init; }

    public long RepeatCalls { get; init; }

    public long Surveys { get; init; }

    /// <summary>Answered within T / (answered + abandoned after T).</summary>
    public double? ServiceLevel { get; init; }

    /// <summary>Total queue wait of answered calls / answered calls.</summary>
    public TimeSpan? AverageSpeedOfAnswer { get; init; }

    /// <summary>Answered / offered.</summary>
    public double? AnswerRate { get; init; }

    /// <summary>Abandoned / offered (short abandons out of both when so configured).</summary>
    public double? AbandonRate { get; init; }

    /// <summary>(Talk + hold + wrap-up) / handled calls.</summary>
    public TimeSpan? AverageHandleTime { get; init; }

    /// <summary>(Talk + hold + wrap-up time) / (that + available time), from agent states; null for queues.</summary>
    public double? Occupancy { get; init; }

    /// <summary>Calls from a caller who called within the repeat window / offered calls.</summary>
    public double? RepeatCallRate { get; init; }

    /// <summary>Mean survey score (1-5).</summary>
    public double? SatisfactionMean { get; init; }

    /// <summary>Share of survey scores that are 4 or 5.</summary>
    public double? SatisfactionTopBoxRate { get; init; }

    /// <summary>Offers rejected or rung out / offers.</summary>
    public double? MissedOfferRate { get; init; }
}
