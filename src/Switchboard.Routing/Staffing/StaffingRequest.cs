using Switchboard.Routing.Figures;

namespace Switchboard.Routing.Staffing;

/// <summary>
/// "How many agents for <paramref name="TargetServiceLevel"/> within <paramref name="ServiceLevelThreshold"/> at
/// <paramref name="CallsPerInterval"/> calls per <paramref name="Interval"/> with this handle time?" Given a
/// <paramref name="Scope"/>, the gap is against the agents logged in there now (the center when null).
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.StaffingRequest")]
public sealed record StaffingRequest(
    double CallsPerInterval,
    TimeSpan Interval,
    TimeSpan AverageHandleTime,
    double TargetServiceLevel = 0.8,
    TimeSpan? ServiceLevelThreshold = null,
    FigureScope? Scope = null);
