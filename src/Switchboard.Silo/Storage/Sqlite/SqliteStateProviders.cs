namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>The values of <see cref="SqliteStoreOptions.SqliteState"/>.</summary>
public static class SqliteStateProviders
{
    /// <summary>Our group-committing grain storage, sharing the journal's writer (the default; ADR 012).</summary>
    public const string GroupCommit = "group-commit";

    /// <summary>Orleans' AdoNet grain storage (Microsoft.Orleans.Persistence.AdoNet) on the same file.</summary>
    public const string AdoNet = "adonet";
}
