namespace Switchboard.Actors.Storage;

/// <summary>The names of the stores registered in one service collection, in registration order.</summary>
internal sealed class GrainStoreNames
{
    /// <summary>The name grains use when <c>[PersistentState]</c> names no store, as in Orleans.</summary>
    public const string Default = "Default";

    public List<string> Names { get; } = [];
}
