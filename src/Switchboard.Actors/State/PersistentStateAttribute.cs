namespace Switchboard.Actors;

/// <summary>
/// Injects an <see cref="IPersistentState{TState}"/> constructor parameter: <paramref name="stateName"/> names
/// the state within the grain, <paramref name="storageName"/> the store (the silo's default store when omitted).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = string.IsNullOrWhiteSpace(stateName)
        ? throw new ArgumentException("A persistent state needs a name.", nameof(stateName))
        : stateName;

    public string? StorageName { get; } = storageName;
}
