using Switchboard.Routing.Staffing;

namespace Switchboard.LoadTests.Simulation;

/// <summary>What Erlang C predicts for one queue: offered load, P(wait), service level and ASA (null when c &lt;= A).</summary>
internal sealed record ErlangCPrediction(double OfferedLoadErlangs, int Agents, double ProbabilityOfWaiting, double ServiceLevel, double? AsaSeconds)
{
    public bool Staffable => Agents > OfferedLoadErlangs;

    public static ErlangCPrediction For(TrafficStream traffic, int agents, double serviceLevelSeconds)
    {
        var handle = TimeSpan.FromSeconds(traffic.AhtSeconds + traffic.WrapUpSeconds);
        var load = traffic.ArrivalsPerSecond * handle.TotalSeconds;
        return new ErlangCPrediction(
            load,
            agents,
            ErlangC.ProbabilityOfWaiting(agents, load),
            ErlangC.ServiceLevel(agents, load, handle, TimeSpan.FromSeconds(serviceLevelSeconds)),
            ErlangC.AverageSpeedOfAnswer(agents, load, handle)?.TotalSeconds);
    }
}
