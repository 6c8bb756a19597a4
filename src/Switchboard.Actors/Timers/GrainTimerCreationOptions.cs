namespace Switchboard.Actors.Timers;

/// <summary>How a grain timer behaves.</summary>
/// <param name="DueTime">Delay before the first tick.</param>
/// <param name="Period">Delay after each tick's callback completes before the next; Infinite for one tick.</param>
public sealed record GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>When true the callback may interleave with requests at its awaits (default false: it is a turn like any other).</summary>
    public bool Interleave { get; init; }

    /// <summary>When true each tick counts as activity and keeps the activation from idle collection (default false).</summary>
    public bool KeepAlive { get; init; }
}
