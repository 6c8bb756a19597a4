namespace Switchboard.Silo.Storage;

/// <summary>
/// Where the stores start in the silo lifecycle: before Orleans' runtime initialization
/// (<see cref="ServiceLifecycleStage.RuntimeInitialize"/>, where the membership table is read), so the schema exists
/// before membership, reminders and grain storage use it and before any grain activates; stopped in reverse, after the
/// grains have deactivated and written their last state.
/// </summary>
public static class StoreLifecycleStage
{
    /// <summary>The stage the stores open at (1900) and are flushed and closed at on stop.</summary>
    public const int Open = ServiceLifecycleStage.RuntimeInitialize - 100;

    /// <summary>
    /// The stage Orleans' AdoNet grain storage reads its queries at (its <c>InitStage</c>): after the schema, before the
    /// grains (<see cref="ServiceLifecycleStage.ApplicationServices"/>).
    /// </summary>
    public const int AdoNetGrainStorage = ServiceLifecycleStage.ApplicationServices;
}
