namespace Switchboard.Actors.Hosting;

/// <summary>Options of the actor runtime, bound from the <c>Switchboard:Silo</c> configuration section.</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section these options are bound from.</summary>
    public const string SectionName = "Switchboard:Silo";

    /// <summary>How long a caller waits for a grain's answer before a <see cref="GrainCallTimeoutException"/>. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an activation may stay idle before it is collected. Default 15 min; per class with <see cref="CollectionAgeLimitAttribute"/>.</summary>
    public TimeSpan DefaultCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the idle collector looks for idle activations. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cancellation deadline handed to OnActivateAsync. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cancellation deadline handed to OnDeactivateAsync. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fixed number of partitions grains are hashed into (placement and fencing). Default 256; never change it on a live store.</summary>
    public int PartitionCount { get; set; } = 256;

    /// <summary>The store used when <c>[PersistentState]</c> names none. Default "Default".</summary>
    public string DefaultStoreName { get; set; } = "Default";

    /// <summary>Write state that changed since its last write when an activation is deactivated. Default true.</summary>
    public bool PersistChangedStateOnDeactivation { get; set; } = true;
}
