using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.GroupCommit;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>
/// Commits a batch of journal appends in one transaction and one round trip: an <see cref="NpgsqlBatch"/> that takes
/// the journal-wide advisory lock, then one statement per append that inserts its records only if the stream's last
/// sequence is the one before its first (outcome: the stored last sequence and the rows written), so a conflicting
/// append writes nothing and leaves the transaction intact. When the database cannot be reached the batch is tried
/// again, at most <see cref="PostgresStoreOptions.JournalAttempts"/> times, but never once its commit was sent.
/// </summary>
internal sealed class PostgresJournalBatchExecutor(NpgsqlDataSource dataSource, PostgresStoreOptions options, string storeName, ILogger logger) : IBatchExecutor
{
    // Held by every appending transaction until it commits: positions are then handed out in commit order across silos.
    private const string JournalLockSql = "SELECT pg_advisory_xact_lock(7523418916330287975)";

    private const string AppendSql = """
        WITH last AS (SELECT COALESCE(MAX(sequence), 0) AS sequence FROM journal_records WHERE stream = $1),
        inserted AS (
            INSERT INTO journal_records (stream, sequence, type, timestamp, payload)
            SELECT $1, $2 + e.ordinality - 1, e.type, e.timestamp, e.payload
            FROM unnest($3::text[], $4::timestamptz[], $5::bytea[]) WITH ORDINALITY AS e(type, timestamp, payload, ordinality)
            WHERE (SELECT sequence FROM last) = $2 - 1
            ORDER BY e.ordinality
            RETURNING 1)
        SELECT (SELECT sequence FROM last), (SELECT count(*) FROM inserted)
        """;

    private NpgsqlConnection? _connection;

    public async Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
    {
        var delay = options.JournalRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var commitSent = false;
            try
            {
                _connection ??= await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var command = Batch(batch, _connection, transaction))
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new InvalidOperationException($"PostgreSQL returned no outcome for append {i} of a batch of {batch.Count}.");
                        }
                        Record((JournalAppendOperation)batch[i], reader.GetInt64(0), reader.GetInt64(1));
                    }
                }
                commitSent = true;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception error) when (!commitSent && attempt < options.JournalAttempts && PostgresConnection.IsUnreachable(error))
            {
                await DropConnectionAsync().ConfigureAwait(false);
                StoreLog.Retrying(logger, storeName, batch.Count, attempt, options.JournalAttempts, delay, error.Message);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
            catch
            {
                // The connection may be broken (killed backend, network); a fresh one serves the next batch.
                await DropConnectionAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static NpgsqlBatch Batch(IReadOnlyList<StoreOperation> batch, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlBatch(connection, transaction);
        command.BatchCommands.Add(new NpgsqlBatchCommand(JournalLockSql));
        foreach (var operation in batch)
        {
            command.BatchCommands.Add(Append(((JournalAppendOperation)operation).Append));
        }
        return command;
    }

    private static void Record(JournalAppendOperation operation, long lastSequence, long written)
    {
        if (written == operation.Append.Entries.Count)
        {
            operation.Succeed(null);
        }
        else
        {
            operation.Refuse(new JournalConflictException(operation.Append.Stream, operation.Append.FirstSequence, lastSequence));
        }
    }

    private static NpgsqlBatchCommand Append(JournalAppend append)
    {
        var types = new string[append.Entries.Count];
        var timestamps = new DateTime[append.Entries.Count];
        var payloads = new byte[append.Entries.Count][];
        for (var i = 0; i < types.Length; i++)
        {
            var entry = append.Entries[i];
            types[i] = entry.Type;
            timestamps[i] = StoreRules.Truncate(entry.Timestamp).UtcDateTime;
            payloads[i] = entry.Payload.ToArray();
        }
        var command = new NpgsqlBatchCommand(AppendSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = append.Stream });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = append.FirstSequence });
        command.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = timestamps });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = payloads });
        return command;
    }

    private async Task DropConnectionAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Already broken: closing it has nothing left to do.
            }
        }
    }

    public async ValueTask DisposeAsync() => await DropConnectionAsync().ConfigureAwait(false);
}
