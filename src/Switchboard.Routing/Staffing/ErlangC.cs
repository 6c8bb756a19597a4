namespace Switchboard.Routing.Staffing;

/// <summary>
/// Erlang C (DOMAIN.md): queueing with <c>c</c> agents, Poisson arrivals, exponential handle times and no
/// abandonment. Computed through the Erlang B recursion B(k) = A·B(k-1) / (k + A·B(k-1)), then
/// C = c·B / (c - A·(1 - B)): every step stays in [0, 1], so it is exact for thousands of agents where
/// A^c / c! would overflow a double.
/// </summary>
public static class ErlangC
{
    /// <summary>Offered load A in erlangs: calls per interval × AHT / interval length.</summary>
    public static double OfferedLoad(double calls, TimeSpan interval, TimeSpan averageHandleTime)
    {
        if (calls < 0 || interval <= TimeSpan.Zero || averageHandleTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(calls), "calls and AHT must be >= 0 and the interval > 0");
        }

        return calls * averageHandleTime.TotalSeconds / interval.TotalSeconds;
    }

    /// <summary>Erlang B blocking probability for <paramref name="agents"/> servers and load <paramref name="erlangs"/>.</summary>
    public static double ErlangB(int agents, double erlangs)
    {
        CheckArguments(agents, erlangs);
        var b = 1.0;
        for (var k = 1; k <= agents; k++)
        {
            b = erlangs * b / (k + (erlangs * b));
        }

        return b;
    }

    /// <summary>P(wait): the probability an arriving call waits. 1 when <paramref name="agents"/> &lt;= A (the queue grows without bound).</summary>
    public static double ProbabilityOfWaiting(int agents, double erlangs)
    {
        CheckArguments(agents, erlangs);
        if (agents <= erlangs)
        {
            return 1.0;
        }

        return FromErlangB(agents, erlangs, ErlangB(agents, erlangs));
    }

    /// <summary>SL(T) = 1 - P(wait)·exp(-(c - A)·T / h); 0 when not staffable (c &lt;= A).</summary>
    public static double ServiceLevel(int agents, double erlangs, TimeSpan averageHandleTime, TimeSpan threshold)
    {
        if (agents <= erlangs)
        {
            CheckArguments(agents, erlangs);
            return 0.0;
        }

        return ServiceLevel(agents, erlangs, ProbabilityOfWaiting(agents, erlangs), averageHandleTime, threshold);
    }

    /// <summary>ASA = P(wait)·h / (c - A); null when not staffable (c &lt;= A: the wait grows without bound).</summary>
    public static TimeSpan? AverageSpeedOfAnswer(int agents, double erlangs, TimeSpan averageHandleTime)
    {
        if (agents <= erlangs)
        {
            CheckArguments(agents, erlangs);
            return null;
        }

        var seconds = ProbabilityOfWaiting(agents, erlangs) * averageHandleTime.TotalSeconds / (agents - erlangs);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The smallest number of agents whose service level at <paramref name="threshold"/> reaches
    /// <paramref name="targetServiceLevel"/> (0-1). One pass of the recursion: O(answer).
    /// </summary>
    public static int AgentsNeeded(double erlangs, TimeSpan averageHandleTime, TimeSpan threshold, double targetServiceLevel)
    {
        CheckArguments(0, erlangs);
        if (targetServiceLevel is < 0 or >= 1 || double.IsNaN(targetServiceLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(targetServiceLevel), targetServiceLevel, "the target service level must be in [0, 1)");
        }

        if (erlangs == 0)
        {
            return 0;
        }

        var b = 1.0;
        for (var c = 1; ; c++)
        {
            b = erlangs * b / (c + (erlangs * b));
            if (c <= erlangs)
            {
                continue;
            }

            var pWait = FromErlangB(c, erlangs, b);
            if (ServiceLevel(c, erlangs, pWait, averageHandleTime, threshold) >= targetServiceLevel)
            {
                return c;
            }
        }
    }

    /// <summary>Agents needed for the forecast against agents logged in, with what the logged-in staff would achieve.</summary>
    public static StaffingGap Gap(
        double callsPerInterval,
        TimeSpan interval,
        TimeSpan averageHandleTime,
        TimeSpan threshold,
        double targetServiceLevel,
        int agentsLoggedIn)
    {
        var load = OfferedLoad(callsPerInterval, interval, averageHandleTime);
        var needed = AgentsNeeded(load, averageHandleTime, threshold, targetServiceLevel);
        var achieved = agentsLoggedIn <= 0 ? (load == 0 ? 1.0 : 0.0) : ServiceLevel(agentsLoggedIn, load, averageHandleTime, threshold);
        return new StaffingGap(load, needed, agentsLoggedIn, needed - agentsLoggedIn, achieved);
    }

    private static double FromErlangB(int c, double a, double b) => c * b / (c - (a * (1 - b)));

    private static double ServiceLevel(int c, double a, double pWait, TimeSpan aht, TimeSpan threshold)
    {
        if (aht <= TimeSpan.Zero)
        {
            return 1.0;
        }

        return 1.0 - (pWait * Math.Exp(-(c - a) * threshold.TotalSeconds / aht.TotalSeconds));
    }

    private static void CheckArguments(int agents, double erlangs)
    {
        if (agents < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(agents), agents, "agents must be >= 0");
        }

        if (erlangs < 0 || double.IsNaN(erlangs) || double.IsInfinity(erlangs))
        {
            throw new ArgumentOutOfRangeException(nameof(erlangs), erlangs, "offered load must be a finite number >= 0");
        }
    }
}
