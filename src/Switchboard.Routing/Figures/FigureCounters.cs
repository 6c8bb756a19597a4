namespace Switchboard.Routing.Figures;

/// <summary>
/// The sums figures are ratios of, for one scope and one interval. Sums, not ratios, are kept so that
/// intervals add up exactly into any longer range.
/// </summary>
internal sealed class FigureCounters
{
    public long Offered;
    public long Answered;
    public long AnsweredWithinThreshold;
    public long Abandoned;
    public long ShortAbandoned;
    public long AbandonedAfterThreshold;
    public long TimedOut;
    public long Overflowed;
    public TimeSpan QueueWaitOfAnswered;
    public long Handled;
    public TimeSpan TalkTime;
    public TimeSpan HoldTime;
    public TimeSpan WrapUpTime;
    public TimeSpan BusyTime;
    public TimeSpan AvailableTime;
    public long Offers;
    public long MissedOffers;
    public long RepeatCalls;
    public long Surveys;
    public long SurveyScoreSum;
    public long SurveyTopBox;

    public void Add(FigureCounters o)
    {
        Offered += o.Offered;
        Answered += o.Answered;
        AnsweredWithinThreshold += o.AnsweredWithinThreshold;
        Abandoned += o.Abandoned;
        ShortAbandoned += o.ShortAbandoned;
        AbandonedAfterThreshold += o.AbandonedAfterThreshold;
        TimedOut += o.TimedOut;
        Overflowed += o.Overflowed;
        QueueWaitOfAnswered += o.QueueWaitOfAnswered;
        Handled += o.Handled;
        TalkTime += o.TalkTime;
        HoldTime += o.HoldTime;
        WrapUpTime += o.WrapUpTime;
        BusyTime += o.BusyTime;
        AvailableTime += o.AvailableTime;
        Offers += o.Offers;
        MissedOffers += o.MissedOffers;
        RepeatCalls += o.RepeatCalls;
        Surveys += o.Surveys;
        SurveyScoreSum += o.SurveyScoreSum;
        SurveyTopBox += o.SurveyTopBox;
    }

    public FigureSet ToFigures(FiguresOptions options)
    {
        var abandoned = options.ExcludeShortAbandons ? Abandoned - ShortAbandoned : Abandoned;
        var offered = options.ExcludeShortAbandons ? Offered - ShortAbandoned : Offered;
        var handle = TalkTime + HoldTime + WrapUpTime;
        return new FigureSet
        {
            Offered = Offered,
            Answered = Answered,
            Abandoned = Abandoned,
            ShortAbandoned = ShortAbandoned,
            TimedOut = TimedOut,
            Overflowed = Overflowed,
            Handled = Handled,
            Offers = Offers,
            MissedOffers = MissedOffers,
            RepeatCalls = RepeatCalls,
            Surveys = Surveys,
            ServiceLevel = Ratio(AnsweredWithinThreshold, Answered + AbandonedAfterThreshold),
            AverageSpeedOfAnswer = Answered == 0 ? null : QueueWaitOfAnswered / Answered,
            AnswerRate = Ratio(Answered, Offered),
            AbandonRate = Ratio(abandoned, offered),
            AverageHandleTime = Handled == 0 ? null : handle / Handled,
            Occupancy = BusyTime + AvailableTime <= TimeSpan.Zero ? null : BusyTime / (BusyTime + AvailableTime),
            RepeatCallRate = Ratio(RepeatCalls, Offered),
            SatisfactionMean = Surveys == 0 ? null : (double)SurveyScoreSum / Surveys,
            SatisfactionTopBoxRate = Ratio(SurveyTopBox, Surveys),
            MissedOfferRate = Ratio(MissedOffers, Offers),
        };
    }

    private static double? Ratio(long numerator, long denominator) => denominator <= 0 ? null : (double)numerator / denominator;
}
