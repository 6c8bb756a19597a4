namespace Switchboard.Routing.Strategies;

/// <summary>How a queue chooses among eligible available agents (DOMAIN.md, "Strategy").</summary>
public enum StrategyKind
{
    /// <summary>The agent available the longest: fair, the default.</summary>
    LongestIdle,

    /// <summary>The highest proficiency in the skills the call asks for.</summary>
    MostSkilled,

    /// <summary>The lowest occupancy so far.</summary>
    LeastOccupied,

    /// <summary>The next agent after the last one chosen, in agent-id order.</summary>
    RoundRobin,

    /// <summary>Uniformly at random, from a seeded generator.</summary>
    Random,
}
