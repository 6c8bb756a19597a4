namespace Switchboard.Actors;

/// <summary>
/// A grain's persistent state, injected into its constructor with <see cref="PersistentStateAttribute"/>.
/// It is read before OnActivateAsync; writes are group-committed and complete once durable.
/// </summary>
public interface IPersistentState<TState>
{
    /// <summary>The state; a new instance when no record exists.</summary>
    TState State { get; set; }

    /// <summary>The ETag of the stored record as last read or written; null when there is none.</summary>
    string? Etag { get; }

    /// <summary>True when the store holds a record for this state.</summary>
    bool RecordExists { get; }

    /// <summary>Reads the stored record again, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/>; fails with InconsistentStateException when the stored ETag moved on.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
