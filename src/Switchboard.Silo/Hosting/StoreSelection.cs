namespace Switchboard.Silo.Hosting;

/// <summary>Which store the silo runs on, bound from <c>Switchboard:Store</c>.</summary>
public sealed class StoreSelection
{
    public const string SectionName = "Switchboard:Store";

    /// <summary><c>sqlite</c> (default: embedded, no set-up), <c>postgres</c> (the cluster's store) or <c>memory</c> (nothing kept).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Folder of the SQLite database file. Default <c>data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string, when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    internal string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "switchboard.db"));

    internal string Describe() => Provider.ToLowerInvariant() switch
    {
        "sqlite" => $"SQLite at {SqlitePath}",
        "postgres" => "PostgreSQL",
        "memory" => "in-memory store (nothing is kept)",
        _ => Provider,
    };
}
