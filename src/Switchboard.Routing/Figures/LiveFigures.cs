using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Figures;

/// <summary>
/// What a wallboard shows for a scope right now: the calls waiting and the oldest one's age (queues and
/// center), agents by state (teams, vendors, center), and the figures of the day so far and of a rolling window.
/// A value (the figures and their two sets inline): asked for often, by every wallboard each time its scope's
/// <see cref="Topics.FiguresUpdate"/> comes.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.LiveFigures")]
public readonly record struct LiveFigures(
    FigureScope Scope,
    DateTimeOffset At,
    int CallsWaiting,
    TimeSpan LongestWait,
    AgentStateCounts AgentsByState,
    FigureSet Today,
    FigureSet Rolling);
