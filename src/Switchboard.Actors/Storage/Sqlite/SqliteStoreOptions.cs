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

    /// <summary>
    /// How often a background connection checkpoints the WAL into the database file (the writer then copies the few
    /// frames committed meanwhile between two batches, so the WAL starts over and its file stays about the size one
    /// interval of writes needs). Default 250 ms. Zero leaves it to
    /// SQLite's automatic checkpoint, which runs inside the committing transaction every 1,000 pages and stalls every
    /// writer of that batch meanwhile.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
