using System.Collections.Immutable;
using Switchboard.Routing.Calls;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// The calls of one queue: Poisson arrivals at <see cref="CallsPerHour"/>, exponential talk and wrap-up times,
/// exponential patience when <see cref="PatienceSeconds"/> is set, and what each call asks of the agent.
/// </summary>
internal sealed record TrafficStream(
    string QueueId,
    double CallsPerHour,
    double AhtSeconds,
    double? PatienceSeconds,
    double WrapUpSeconds,
    ImmutableArray<SkillRequirement> Skills = default,
    string? Language = null)
{
    public double ArrivalsPerSecond => CallsPerHour / 3600.0;
}
