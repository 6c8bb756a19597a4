namespace Switchboard.Actors.Storage;

/// <summary>A write against a stale ETag: another writer changed the row since it was read.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(StateKey key, string? expectedETag, string? storedETag)
        : base($"The {key.StateName} state of grain {key.GrainId} was written with ETag '{expectedETag ?? "(none)"}' but the store holds ETag '{storedETag ?? "(no row)"}': another activation or writer changed it since it was read.")
    {
        Key = key;
        ExpectedETag = expectedETag;
        StoredETag = storedETag;
    }

    public StateKey Key { get; }
    public string? ExpectedETag { get; }
    public string? StoredETag { get; }
}
