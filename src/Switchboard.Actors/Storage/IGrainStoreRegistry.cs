namespace Switchboard.Actors.Storage;

/// <summary>Finds the grain stores registered with the <c>Add*GrainStore</c> extensions, by name.</summary>
public interface IGrainStoreRegistry
{
    /// <summary>The names of the registered stores, in registration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The store called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> listing the known
    /// names when there is none.
    /// </summary>
    IGrainStore Get(string name);
}
