using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Storage.Sqlite;

/// <summary>
/// Commits a batch on the store's single writer connection in one IMMEDIATE transaction. Each item's
/// checks (fencing, ETag, sequence) run before its rows are written, so a refused item writes nothing;
/// any error from SQLite itself rolls the whole batch back.
/// </summary>
internal sealed class SqliteBatchExecutor : IStoreBatchExecutor
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SqliteCommand _selectEpoch;
    private readonly SqliteCommand _upsertEpoch;
    private readonly SqliteCommand _selectState;
    private readonly SqliteCommand _upsertState;
    private readonly SqliteCommand _selectLastSequence;
    private readonly SqliteCommand _insertJournal;

    // Epochs already checked in the open transaction: the writer holds SQLite's write lock, so they cannot change under it.
    private readonly Dictionary<int, long> _checkedEpochs = [];

    public SqliteBatchExecutor(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        _selectEpoch = Command("SELECT epoch FROM partition_epochs WHERE partition = $partition", "$partition");
        _upsertEpoch = Command(
            "INSERT INTO partition_epochs (partition, epoch, updated_at) VALUES ($partition, $epoch, $now) " +
            "ON CONFLICT (partition) DO UPDATE SET epoch = excluded.epoch, updated_at = excluded.updated_at",
            "$partition", "$epoch", "$now");
        _selectState = Command(
            "SELECT version, data IS NOT NULL FROM grain_state WHERE state_name = $state AND grain_type = $type AND grain_key = $key",
            "$state", "$type", "$key");
        _upsertState = Command(
            "INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at) " +
            "VALUES ($state, $type, $key, $data, $version, $partition, $epoch, $now) " +
            "ON CONFLICT (state_name, grain_type, grain_key) DO UPDATE SET data = excluded.data, version = excluded.version, " +
            "partition = excluded.partition, epoch = excluded.epoch, updated_at = excluded.updated_at",
            "$state", "$type", "$key", "$data", "$version", "$partition", "$epoch", "$now");
        _selectLastSequence = Command("SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE stream = $stream", "$stream");
        _insertJournal = Command(
            "INSERT INTO journal (stream, sequence, type, timestamp, payload, partition, epoch) " +
            "VALUES ($stream, $sequence, $type, $timestamp, $payload, $partition, $epoch)",
            "$stream", "$sequence", "$type", "$timestamp", "$payload", "$partition", "$epoch");
    }

    public async Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
    {
        var now = StoreRules.ToUnixMicroseconds(_time.GetUtcNow());
        _checkedEpochs.Clear();
        var transaction = _connection.BeginTransaction(deferred: false);
        try
        {
            foreach (var command in Commands())
            {
                command.Transaction = transaction;
            }
            foreach (var operation in batch)
            {
                if (!await FenceAsync(operation, now, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
                switch (operation)
                {
                    case StateWriteOperation write:
                        await WriteStateAsync(write, now, cancellationToken).ConfigureAwait(false);
                        break;
                    case JournalAppendOperation append:
                        await AppendAsync(append, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            transaction.Commit();
        }
        catch
        {
            TryRollback(transaction);
            throw;
        }
        finally
        {
            TryDispose(transaction);
        }
    }

    private async Task<bool> FenceAsync(StoreOperation operation, long now, CancellationToken cancellationToken)
    {
        object? stored;
        if (_checkedEpochs.TryGetValue(operation.Partition, out var known))
        {
            stored = known;
        }
        else
        {
            _selectEpoch.Parameters[0].Value = operation.Partition;
            stored = await _selectEpoch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        if (stored is long current && current > operation.Epoch)
        {
            _checkedEpochs[operation.Partition] = current;
            operation.Refuse(operation.StaleEpoch(current));
            return false;
        }
        _checkedEpochs[operation.Partition] = operation.Epoch;
        if (stored is not long same || same != operation.Epoch)
        {
            _upsertEpoch.Parameters[0].Value = operation.Partition;
            _upsertEpoch.Parameters[1].Value = operation.Epoch;
            _upsertEpoch.Parameters[2].Value = now;
            await _upsertEpoch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task WriteStateAsync(StateWriteOperation write, long now, CancellationToken cancellationToken)
    {
        _selectState.Parameters[0].Value = write.Key.StateName;
        _selectState.Parameters[1].Value = write.Key.GrainId.Type;
        _selectState.Parameters[2].Value = write.Key.GrainId.Key;
        long? version = null;
        var live = false;
        await using (var reader = await _selectState.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                version = reader.GetInt64(0);
                live = reader.GetBoolean(1);
            }
        }
        if (!StoreRules.ETagMatches(write.ExpectedETag, version, live))
        {
            write.Refuse(StoreRules.ETagMismatch(write.Key, write.ExpectedETag, version, live));
            return;
        }
        if (write.IsClear && !live)
        {
            write.Succeed(null);
            return;
        }
        var next = (version ?? 0) + 1;
        var parameters = _upsertState.Parameters;
        parameters[0].Value = write.Key.StateName;
        parameters[1].Value = write.Key.GrainId.Type;
        parameters[2].Value = write.Key.GrainId.Key;
        parameters[3].Value = write.IsClear ? DBNull.Value : ToArray(write.Data);
        parameters[4].Value = next;
        parameters[5].Value = write.Partition;
        parameters[6].Value = write.Epoch;
        parameters[7].Value = now;
        await _upsertState.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        write.Succeed(write.IsClear ? null : StoreRules.RenderETag(next));
    }

    private async Task AppendAsync(JournalAppendOperation operation, CancellationToken cancellationToken)
    {
        var append = operation.Append;
        _selectLastSequence.Parameters[0].Value = append.Stream;
        var last = (long)(await _selectLastSequence.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (append.FirstSequence != last + 1)
        {
            operation.Refuse(new JournalConflictException(append.Stream, append.FirstSequence, last));
            return;
        }
        var parameters = _insertJournal.Parameters;
        for (var i = 0; i < append.Entries.Count; i++)
        {
            var entry = append.Entries[i];
            parameters[0].Value = append.Stream;
            parameters[1].Value = append.FirstSequence + i;
            parameters[2].Value = entry.Type;
            parameters[3].Value = StoreRules.ToUnixMicroseconds(entry.Timestamp);
            parameters[4].Value = ToArray(entry.Payload);
            parameters[5].Value = append.Partition;
            parameters[6].Value = append.Epoch;
            await _insertJournal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        operation.Succeed(null);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var command in Commands())
        {
            command.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private SqliteCommand Command(string text, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = text;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private SqliteCommand[] Commands() =>
        [_selectEpoch, _upsertEpoch, _selectState, _upsertState, _selectLastSequence, _insertJournal];

    private static byte[] ToArray(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private static void TryDispose(SqliteTransaction transaction)
    {
        try
        {
            transaction.Dispose();
        }
        catch (SqliteException)
        {
            // Disposing tries a rollback of its own, which fails when SQLite already rolled back.
        }
    }

    private static void TryRollback(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back on its own (SQLITE_FULL, I/O errors); nothing is left to undo.
        }
        catch (InvalidOperationException)
        {
            // The transaction is already completed.
        }
    }
}
