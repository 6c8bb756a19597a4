namespace Switchboard.Actors.Timers;

/// <summary>A grain timer; dispose it to stop it. It also stops when its activation is deactivated.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the timer next fires and its period.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
