using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>
/// Applies the store's scripts (postgres-orleans.sql, postgres-journal.sql) at start, in one transaction under a
/// transaction-scoped advisory lock: whichever silo comes first creates what is missing, the others wait for it and
/// find everything there.
/// </summary>
internal static class PostgresSchema
{
    // Any constant: serializes schema set-up between silos starting at once.
    private const long SchemaLockKey = 0x5377_6974_6368_6264;

    public const string StoreName = "postgres";

    public static async Task ApplyAsync(PostgresConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = new NpgsqlConnection(connection.ConnectionString);
            await session.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", session, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = SchemaLockKey });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            foreach (var script in (string[])["postgres-orleans.sql", "postgres-journal.sql"])
            {
                await using var command = new NpgsqlCommand(StoreScripts.Load(script), session, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            StoreLog.SchemaApplied(logger, StoreName, "postgres-orleans.sql, postgres-journal.sql", connection.Target);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            StoreLog.Unavailable(logger, StoreName, connection.Target, error.Message);
            throw new StoreUnavailableException(StoreName, connection.Target, $"cannot be reached or set up: {error.Message}", error);
        }
    }
}
