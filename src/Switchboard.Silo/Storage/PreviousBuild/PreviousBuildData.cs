using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Switchboard.Silo.Storage.Sqlite;

namespace Switchboard.Silo.Storage.PreviousBuild;

/// <summary>
/// Recognises a data folder written by the previous build (the home-made actor runtime's store) and carries its center
/// configuration over as a center file. Its database is only ever opened read-only.
/// </summary>
public static class PreviousBuildData
{
    /// <summary>True when <paramref name="dataDirectory"/> holds a database of the previous build.</summary>
    public static bool IsPreviousBuild(string dataDirectory)
    {
        var file = DatabaseFile(dataDirectory);
        if (!File.Exists(file))
        {
            return false;
        }
        using var connection = OpenReadOnly(file);
        return HasPreviousBuildTables(connection);
    }

    /// <summary>Throws <see cref="PreviousBuildDataException"/> when <paramref name="dataDirectory"/> holds the previous build's database.</summary>
    public static void ThrowIfPreviousBuild(string dataDirectory)
    {
        if (IsPreviousBuild(dataDirectory))
        {
            throw new PreviousBuildDataException(Path.GetFullPath(dataDirectory), DatabaseFile(dataDirectory));
        }
    }

    /// <summary>
    /// Reads the previous build's center configuration (the center grain's state <c>center</c>) from
    /// <paramref name="dataDirectory"/> and writes it to <paramref name="outFile"/> as a center file (YAML, the shape of
    /// docs/center.sample.yaml) that this build loads with its center-file option. Never changes the old database;
    /// refuses to overwrite an existing <paramref name="outFile"/>.
    /// </summary>
    public static async Task<CenterExport> ExportCenterAsync(string dataDirectory, string outFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outFile);
        var file = DatabaseFile(dataDirectory);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"No database of the previous build in {Path.GetFullPath(dataDirectory)}: {file} does not exist.", file);
        }
        byte[] state;
        await using (var connection = OpenReadOnly(file))
        {
            if (!HasPreviousBuildTables(connection))
            {
                throw new InvalidOperationException($"{file} is not a database of the previous build (no grain_state, journal and partition_epochs tables); nothing to export.");
            }
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT data FROM grain_state WHERE state_name = 'center' AND data IS NOT NULL ORDER BY version DESC LIMIT 1";
            state = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[]
                ?? throw new InvalidOperationException($"{file} holds no center configuration (no 'center' state row): there is nothing to carry over; start with an empty --data-dir.");
        }
        var (yaml, export) = CenterFileWriter.Write(state, file, Path.GetFullPath(outFile));
        var folder = Path.GetDirectoryName(export.File);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        try
        {
            await using var stream = new FileStream(export.File, FileMode.CreateNew, FileAccess.Write);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(yaml), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException error) when (File.Exists(export.File))
        {
            throw new IOException($"{export.File} exists already; the export does not overwrite it. Name another file or move it away.", error);
        }
        return export;
    }

    private static string DatabaseFile(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, SqliteStoreOptions.FileName));

    private static SqliteConnection OpenReadOnly(string file)
    {
        // Without a WAL beside it everything is in the file itself: opened as immutable, SQLite creates no -wal or -shm
        // file next to it. With one (the previous build was killed) the WAL must be read too, so plain read-only.
        var wal = new FileInfo(file + "-wal");
        var source = wal is { Exists: true, Length: > 0 } ? file : new Uri(file).AbsoluteUri + "?immutable=1";
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static bool HasPreviousBuildTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        // The previous build's store: partition_epochs, and a journal and grain_state fenced by partition and epoch.
        command.CommandText =
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'partition_epochs') + " +
            "(SELECT count(*) FROM pragma_table_info('journal') WHERE name = 'partition') + " +
            "(SELECT count(*) FROM pragma_table_info('grain_state') WHERE name = 'partition')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }
}
