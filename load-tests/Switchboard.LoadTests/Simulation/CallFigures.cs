namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// The sums the simulator keeps for one queue (or the center) from what the adapter and the desks saw, over
/// calls that arrived in the measured window. Figures are the DOMAIN.md definitions.
/// </summary>
internal sealed class CallFigures
{
    public long Offered;
    public long Answered;
    public long Abandoned;

    /// <summary>Calls that reached their queue's maximum wait and went to voicemail.</summary>
    public long TimedOut;
    public long AnsweredWithinThreshold;
    public long AbandonedAfterThreshold;
    public long AnsweredAfterWaiting;
    public double WaitOfAnsweredSeconds;
    public double LongestWaitSeconds;
    public long Handled;
    public double HandleSeconds;

    /// <summary>Answered within T / (answered + abandoned after T).</summary>
    public double? ServiceLevel => Ratio(AnsweredWithinThreshold, Answered + AbandonedAfterThreshold);

    public double? AsaSeconds => Answered == 0 ? null : WaitOfAnsweredSeconds / Answered;

    public double? AnswerRate => Ratio(Answered, Offered);

    public double? AbandonRate => Ratio(Abandoned, Offered);

    public double? AhtSeconds => Handled == 0 ? null : HandleSeconds / Handled;

    /// <summary>Share of answered calls that waited at all: the measured P(wait) of Erlang C.</summary>
    public double? WaitedRate => Ratio(AnsweredAfterWaiting, Answered);

    public void Add(CallFigures other)
    {
        Offered += other.Offered;
        Answered += other.Answered;
        Abandoned += other.Abandoned;
        TimedOut += other.TimedOut;
        AnsweredWithinThreshold += other.AnsweredWithinThreshold;
        AbandonedAfterThreshold += other.AbandonedAfterThreshold;
        AnsweredAfterWaiting += other.AnsweredAfterWaiting;
        WaitOfAnsweredSeconds += other.WaitOfAnsweredSeconds;
        LongestWaitSeconds = Math.Max(LongestWaitSeconds, other.LongestWaitSeconds);
        Handled += other.Handled;
        HandleSeconds += other.HandleSeconds;
    }

    private static double? Ratio(long numerator, long denominator) => denominator <= 0 ? null : (double)numerator / denominator;
}
