using Orleans.Storage;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// Options of the embedded SQLite store, bound from <see cref="SectionName"/> (<c>Switchboard:Store</c>): one file,
/// <c>switchboard.db</c>, in <see cref="DataDirectory"/>, holding grain state and the event journal.
/// </summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The configuration section the host binds these options from.</summary>
    public const string SectionName = "Switchboard:Store";

    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public const string FileName = "switchboard.db";

    /// <summary>The data folder (<c>--data-dir</c>); created when missing. Default <c>data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Which grain storage serves <c>IPersistentState</c>: <see cref="SqliteStateProviders.GroupCommit"/> (default: ours,
    /// group-committed with the journal on one writer) or <see cref="SqliteStateProviders.AdoNet"/> (Orleans'
    /// Microsoft.Orleans.Persistence.AdoNet on the same file). Configuration key <c>Switchboard:Store:SqliteState</c>.
    /// </summary>
    public string SqliteState { get; set; } = SqliteStateProviders.GroupCommit;

    /// <summary>The most writes (state writes, clears, journal appends) committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>How long a statement waits for a lock held by another connection on the file before failing. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a background connection checkpoints the WAL into the database file (the writer then copies the few
    /// frames committed meanwhile between two batches, so the WAL starts over and stays about one interval of writes).
    /// Default 250 ms. Zero leaves it to SQLite's automatic checkpoint inside the committing transaction.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How grain state is turned into bytes. Default (null): Orleans' own binary serializer
    /// (<see cref="OrleansGrainStorageSerializer"/>), so state classes need <c>[GenerateSerializer]</c> and <c>[Id]</c>.
    /// Used by both <see cref="SqliteState"/> choices.
    /// </summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>The database file: <see cref="FileName"/> in <see cref="DataDirectory"/>, as a full path.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
