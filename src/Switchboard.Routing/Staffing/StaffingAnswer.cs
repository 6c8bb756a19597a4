namespace Switchboard.Routing.Staffing;

/// <summary>Erlang C's answer: agents needed, the service level and ASA they achieve, and the gap against the agents logged in now.</summary>
[GenerateSerializer, Immutable, Alias("sb.StaffingAnswer")]
public sealed record StaffingAnswer(
    double OfferedLoad,
    int AgentsNeeded,
    double PredictedServiceLevel,
    TimeSpan? PredictedAverageSpeedOfAnswer,
    StaffingGap Gap);
