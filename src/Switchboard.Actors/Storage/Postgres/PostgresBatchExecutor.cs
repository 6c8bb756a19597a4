using Npgsql;
using NpgsqlTypes;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Storage.Postgres;

/// <summary>
/// Commits a batch in one transaction and one round trip: an <see cref="NpgsqlBatch"/> with one call of
/// <c>switchboard_write_state</c> or <c>switchboard_append_journal</c> per item (see schema.sql). The
/// functions report refusals as outcomes rather than errors, so a refused item leaves the transaction
/// intact; any error rolls the batch back and drops the connection, and the next batch opens a new one.
/// </summary>
internal sealed class PostgresBatchExecutor : IStoreBatchExecutor
{
    private const string WriteStateSql = "SELECT outcome, detail FROM switchboard_write_state($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    // Held by every transaction that appends, until it commits: journal positions are then handed out in
    // commit order across silos, so a reader following AfterPosition never skips a row committed late.
    private const string JournalLockSql = "SELECT pg_advisory_xact_lock(7523418916330287975)";
    private const string AppendJournalSql = "SELECT outcome, detail FROM switchboard_append_journal($1, $2, $3, $4, $5, $6, $7, $8)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private NpgsqlConnection? _connection;

    public PostgresBatchExecutor(NpgsqlDataSource dataSource, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
    }

    public async Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
    {
        var now = StoreRules.Truncate(_time.GetUtcNow()).UtcDateTime;
        try
        {
            _connection ??= await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlBatch(_connection, transaction))
            {
                var appends = false;
                foreach (var operation in batch)
                {
                    appends |= operation is JournalAppendOperation;
                }
                if (appends)
                {
                    // First, so every appending transaction takes the journal lock before any partition or row lock.
                    command.BatchCommands.Add(new NpgsqlBatchCommand(JournalLockSql));
                }
                foreach (var operation in batch)
                {
                    command.BatchCommands.Add(operation switch
                    {
                        StateWriteOperation write => WriteState(write, now),
                        JournalAppendOperation append => AppendJournal(append, now),
                        _ => throw new InvalidOperationException($"Unknown store operation {operation.GetType().Name}."),
                    });
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (appends && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"PostgreSQL returned no outcomes for a batch of {batch.Count}.");
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false)
                        || !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"PostgreSQL returned no outcome for item {i} of a batch of {batch.Count}.");
                    }
                    Record(batch[i], reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                }
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The connection may be broken (killed backend, network); a fresh one serves the next batch.
            await DropConnectionAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Record(StoreOperation operation, int outcome, string? detail)
    {
        switch (outcome)
        {
            case 0:
                operation.Succeed(detail);
                break;
            case 1:
                operation.Refuse(operation.StaleEpoch(long.Parse(detail!, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case 2 when operation is StateWriteOperation write:
                operation.Refuse(new InconsistentStateException(write.Key, write.ExpectedETag, detail));
                break;
            case 3 when operation is JournalAppendOperation append:
                operation.Refuse(new JournalConflictException(append.Append.Stream, append.Append.FirstSequence,
                    long.Parse(detail!, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            default:
                throw new InvalidOperationException($"Unexpected outcome {outcome} for a write to {operation.Target}.");
        }
    }

    private static NpgsqlBatchCommand WriteState(StateWriteOperation write, DateTime now)
    {
        var command = new NpgsqlBatchCommand(WriteStateSql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.StateName });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.GrainId.Type });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key.GrainId.Key });
        parameters.Add(write.IsClear
            ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = DBNull.Value }
            : new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = write.Data });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)write.ExpectedETag ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = write.Partition });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Epoch });
        parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = now });
        parameters.Add(new NpgsqlParameter<bool> { TypedValue = write.IsClear });
        return command;
    }

    private static NpgsqlBatchCommand AppendJournal(JournalAppendOperation operation, DateTime now)
    {
        var append = operation.Append;
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
        var command = new NpgsqlBatchCommand(AppendJournalSql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = append.Stream });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = append.FirstSequence });
        parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        parameters.Add(new NpgsqlParameter<DateTime[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = timestamps });
        parameters.Add(new NpgsqlParameter<byte[][]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = payloads });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = append.Partition });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = append.Epoch });
        parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = now });
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
