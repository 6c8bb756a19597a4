using Switchboard.Gateway.Mapping;
using Switchboard.Routing.Figures;
using V1 = Switchboard.Contracts.V1;
using RoutingAgentState = Switchboard.Routing.Agents.AgentState;

namespace Switchboard.Gateway.Wallboards;

/// <summary>Routing's figures as the API's <see cref="V1.Figures"/>, and scopes both ways.</summary>
internal static class FiguresMapping
{
    public static FigureScope Scope(V1.Scope scope) => scope.Kind switch
    {
        V1.ScopeKind.Queue => FigureScope.Queue(scope.Id),
        V1.ScopeKind.Team => FigureScope.Team(scope.Id),
        V1.ScopeKind.Vendor => FigureScope.Vendor(scope.Id),
        V1.ScopeKind.Agent => FigureScope.Agent(scope.Id),
        _ => FigureScope.Center,
    };

    public static V1.Figures Figures(V1.Scope scope, FigureSet set, DateTimeOffset windowStart, DateTimeOffset windowEnd, double thresholdSeconds)
    {
        var figures = new V1.Figures
        {
            Scope = scope.Clone(),
            WindowStart = ContractMapping.Time(windowStart),
            WindowEnd = ContractMapping.Time(windowEnd),
            ServiceLevelThresholdSeconds = thresholdSeconds,
            Offered = set.Offered,
            Answered = set.Answered,
            Abandoned = set.Abandoned,
            ShortAbandoned = set.ShortAbandoned,
            Overflowed = set.Overflowed,
            TimedOut = set.TimedOut,
            Handled = set.Handled,
            Offers = set.Offers,
            MissedOffers = set.MissedOffers,
            RepeatCalls = set.RepeatCalls,
            SurveyResponses = set.Surveys,
            SurveySatisfied = set.SatisfactionTopBoxRate is { } top ? (long)Math.Round(top * set.Surveys) : 0,
        };
        if (set.ServiceLevel is { } sl)
        {
            figures.ServiceLevel = sl;
        }
        if (set.AverageSpeedOfAnswer is { } asa)
        {
            figures.AsaSeconds = asa.TotalSeconds;
        }
        if (set.AnswerRate is { } answerRate)
        {
            figures.AnswerRate = answerRate;
        }
        if (set.AbandonRate is { } abandonRate)
        {
            figures.AbandonRate = abandonRate;
        }
        if (set.AverageHandleTime is { } aht)
        {
            figures.AhtSeconds = aht.TotalSeconds;
        }
        if (set.Occupancy is { } occupancy)
        {
            figures.Occupancy = occupancy;
        }
        if (set.RepeatCallRate is { } repeat)
        {
            figures.RepeatCallRate = repeat;
        }
        if (set.SatisfactionMean is { } mean)
        {
            figures.SatisfactionMean = mean;
        }
        if (set.SatisfactionTopBoxRate is { } topBox)
        {
            figures.SatisfactionTopTwoBox = topBox;
        }
        if (set.MissedOfferRate is { } missed)
        {
            figures.MissedOfferRate = missed;
        }
        return figures;
    }

    public static V1.AgentStateCounts Agents(IReadOnlyDictionary<RoutingAgentState, int> byState)
    {
        var counts = new V1.AgentStateCounts
        {
            NotReady = byState.GetValueOrDefault(RoutingAgentState.NotReady),
            Available = byState.GetValueOrDefault(RoutingAgentState.Available),
            Reserved = byState.GetValueOrDefault(RoutingAgentState.Reserved),
            OnCall = byState.GetValueOrDefault(RoutingAgentState.OnCall),
            WrapUp = byState.GetValueOrDefault(RoutingAgentState.WrapUp),
        };
        counts.LoggedIn = counts.NotReady + counts.Available + counts.Reserved + counts.OnCall + counts.WrapUp;
        return counts;
    }

    /// <summary>
    /// Two or more intervals in one: counts summed, rates recomputed from the sums where the counts allow,
    /// averages weighted by their denominators (service level by answered plus abandoned, an approximation:
    /// routing's figures do not carry answered-within-threshold counts).
    /// </summary>
    public static FigureSet Merge(IReadOnlyList<FigureSet> sets)
    {
        long offered = 0, answered = 0, abandoned = 0, shortAbandoned = 0, timedOut = 0, overflowed = 0, handled = 0, offers = 0, missed = 0, repeat = 0, surveys = 0;
        double slNum = 0, slDen = 0, asaNum = 0, ahtNum = 0, occNum = 0, occDen = 0, satNum = 0, topNum = 0;
        foreach (var s in sets)
        {
            offered += s.Offered;
            answered += s.Answered;
            abandoned += s.Abandoned;
            shortAbandoned += s.ShortAbandoned;
            timedOut += s.TimedOut;
            overflowed += s.Overflowed;
            handled += s.Handled;
            offers += s.Offers;
            missed += s.MissedOffers;
            repeat += s.RepeatCalls;
            surveys += s.Surveys;
            if (s.ServiceLevel is { } sl)
            {
                slNum += sl * (s.Answered + s.Abandoned);
                slDen += s.Answered + s.Abandoned;
            }
            if (s.AverageSpeedOfAnswer is { } asa)
            {
                asaNum += asa.TotalSeconds * s.Answered;
            }
            if (s.AverageHandleTime is { } aht)
            {
                ahtNum += aht.TotalSeconds * s.Handled;
            }
            if (s.Occupancy is { } occ)
            {
                occNum += occ * Math.Max(1, s.Handled);
                occDen += Math.Max(1, s.Handled);
            }
            if (s.SatisfactionMean is { } sat)
            {
                satNum += sat * s.Surveys;
            }
            if (s.SatisfactionTopBoxRate is { } top)
            {
                topNum += top * s.Surveys;
            }
        }
        return new FigureSet
        {
            Offered = offered,
            Answered = answered,
            Abandoned = abandoned,
            ShortAbandoned = shortAbandoned,
            TimedOut = timedOut,
            Overflowed = overflowed,
            Handled = handled,
            Offers = offers,
            MissedOffers = missed,
            RepeatCalls = repeat,
            Surveys = surveys,
            ServiceLevel = slDen > 0 ? slNum / slDen : null,
            AverageSpeedOfAnswer = answered > 0 ? TimeSpan.FromSeconds(asaNum / answered) : null,
            AnswerRate = offered > 0 ? (double)answered / offered : null,
            AbandonRate = offered > 0 ? (double)abandoned / offered : null,
            AverageHandleTime = handled > 0 ? TimeSpan.FromSeconds(ahtNum / handled) : null,
            Occupancy = occDen > 0 ? occNum / occDen : null,
            RepeatCallRate = offered > 0 ? (double)repeat / offered : null,
            SatisfactionMean = surveys > 0 ? satNum / surveys : null,
            SatisfactionTopBoxRate = surveys > 0 ? topNum / surveys : null,
            MissedOfferRate = offers > 0 ? (double)missed / offers : null,
        };
    }
}
