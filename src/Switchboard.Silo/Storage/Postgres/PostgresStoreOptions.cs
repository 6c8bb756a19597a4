using Orleans.Storage;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>
/// Options of the cluster's store on PostgreSQL, bound from <see cref="SectionName"/> (<c>Switchboard:Store</c>): Orleans'
/// AdoNet grain storage, clustering and reminders, and Switchboard's event journal, all in one database.
/// </summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The configuration section the host binds these options from.</summary>
    public const string SectionName = "Switchboard:Store";

    /// <summary>An Npgsql connection string (<c>--postgres "Host=...;Port=...;Database=...;Username=...;Password=..."</c>). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The most journal appends committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long opening a connection may take, unless the connection string sets <c>Timeout</c>: start-up fails with
    /// <see cref="StoreUnavailableException"/> after it, and a journal attempt counts as failed. Default 5 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one statement may run, unless the connection string sets <c>Command Timeout</c>. Default 10 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a journal batch is tried when the database cannot be reached (connection refused or broken, timeout)
    /// before its appends fail with <c>JournalUnavailableException</c>. A batch whose commit was sent is never tried again:
    /// it may have committed. Default 3; so an append waits at most about
    /// <c>JournalAttempts × (ConnectTimeout + CommandTimeout) + delays</c>, never forever.
    /// </summary>
    public int JournalAttempts { get; set; } = 3;

    /// <summary>The wait before the second attempt of a journal batch; doubled for each one after. Default 200 ms.</summary>
    public TimeSpan JournalRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Use Orleans' AdoNet clustering (membership) on this database. Default true: a cluster.</summary>
    public bool UseClustering { get; set; } = true;

    /// <summary>Use Orleans' AdoNet reminders on this database. Default true.</summary>
    public bool UseReminders { get; set; } = true;

    /// <summary>How grain state is turned into bytes. Default (null): Orleans' own binary serializer.</summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }
}
