namespace Switchboard.Actors;

/// <summary>
/// The identity of a grain: its type name (the grain class's stable name) and its key,
/// held as a string whatever the key kind (string, Guid "N" format, or invariant integer).
/// </summary>
public readonly record struct GrainId
{
    public GrainId(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key, nameof(key));
        Type = type;
        Key = key;
    }

    /// <summary>The grain type name, such as <c>agent</c>.</summary>
    public string Type { get; }

    /// <summary>The grain key as a string.</summary>
    public string Key { get; }

    /// <summary><c>type/key</c>, the form used in logs, journals and storage rows.</summary>
    public override string ToString() => $"{Type}/{Key}";
}
