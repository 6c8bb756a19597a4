namespace Switchboard.Actors.Storage.Postgres;

/// <summary>Options of a <see cref="PostgresGrainStore"/>.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The most writes committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long opening a connection may take before start-up fails with <see cref="StoreUnavailableException"/>,
    /// unless the connection string sets its own <c>Timeout</c>. Default 5 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
