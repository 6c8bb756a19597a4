namespace Switchboard.Routing.Configuration;

/// <summary>
/// A silo's copy of the center configuration (its <see cref="CenterDirectory"/>), told by the center grain of every
/// accepted change before the change is answered: configuration written through one silo routes on every silo at once.
/// </summary>
public interface ICenterObserver : IGrainObserver
{
    /// <summary>The configuration is now <paramref name="snapshot"/>.</summary>
    Task ConfigurationChangedAsync(CenterSnapshot snapshot);
}
