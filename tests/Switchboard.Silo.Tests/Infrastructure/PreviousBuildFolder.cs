using Microsoft.Data.Sqlite;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>
/// A data folder as the previous build left it: its schema (PreviousBuild/previous-build-schema.sql) and the center
/// state a silo of e10e656 wrote for docs/center.sample.yaml (PreviousBuild/previous-build-center-state.json).
/// </summary>
internal static class PreviousBuildFolder
{
    /// <summary>
    /// As a previous-build silo killed with SIGKILL leaves it: the center state committed to the WAL only, the WAL and
    /// its index copied while the writer still had the file open.
    /// </summary>
    public static string CreateKilled(string folder, string scratch)
    {
        var source = Path.Combine(scratch, "switchboard.db");
        using var connection = new SqliteConnection($"Data Source={source};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PreviousBuild", "previous-build-schema.sql")) +
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;";
        command.ExecuteNonQuery();
        Insert(command, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "PreviousBuild", "previous-build-center-state.json")));
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Copy(source + suffix, Path.Combine(folder, "switchboard.db" + suffix));
        }
        return Path.Combine(folder, "switchboard.db");
    }

    private static void Insert(SqliteCommand command, byte[] centerState)
    {
        command.CommandText = "INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at) " +
            "VALUES ('center', 'center', 'center', $data, 1, 0, 1, 0)";
        command.Parameters.AddWithValue("$data", centerState);
        command.ExecuteNonQuery();
    }

    public static string Create(string folder, byte[]? centerState = null)
    {
        var file = Path.Combine(folder, "switchboard.db");
        var resources = Path.Combine(AppContext.BaseDirectory, "PreviousBuild");
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(Path.Combine(resources, "previous-build-schema.sql")) + "PRAGMA journal_mode = WAL;";
            command.ExecuteNonQuery();
            Insert(command, centerState ?? File.ReadAllBytes(Path.Combine(resources, "previous-build-center-state.json")));
        }
        return file;
    }
}
