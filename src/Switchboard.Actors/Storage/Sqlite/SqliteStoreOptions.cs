namespace Switchboard.Actors.Storage.Sqlite;

/// <summary>Options of a <see cref="SqliteGrainStore"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file (created if missing; its folder must exist). Default <c>switchboard.db</c>.</summary>
    public string DataSource { get; set; } = "switchboard.db";

    /// <summary>The most writes committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long a statement waits for a lock held by another process on the same file before failing.
    /// Default 5 s.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
