using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Figures;

/// <summary>
/// What a wallboard shows for a scope right now: the calls waiting and the oldest one's age (queues and
/// center), agents by state (teams, vendors, center), and the figures of the day so far and of a rolling window.
/// A value held inside its <see cref="Topics.FiguresUpdate"/>: each scope touched gets a new one every second, and
/// the update, these figures and their two sets used to be four objects for each gen0 collection to copy.
/// </summary>
public readonly record struct LiveFigures(
    FigureScope Scope,
    DateTimeOffset At,
    int CallsWaiting,
    TimeSpan LongestWait,
    AgentStateCounts AgentsByState,
    FigureSet Today,
    FigureSet Rolling);
