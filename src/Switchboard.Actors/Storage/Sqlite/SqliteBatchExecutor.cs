using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
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
    private readonly SqliteCommand _selectEpochs;
    private readonly SqliteCommand _upsertEpoch;
    private readonly SqliteCommand _selectState;
    private readonly SqliteCommand _insertState;
    private readonly SqliteCommand _updateState;
    private readonly SqliteCommand _clearState;
    private readonly SqliteCommand _selectLastSequence;
    private readonly SqliteCommand _insertJournal;

    // The stored epochs of the batch's partitions, read once the transaction holds SQLite's write lock
    // (so no other process can change them under it) and kept current as the batch raises them.
    private readonly Dictionary<int, long> _checkedEpochs = [];

    public SqliteBatchExecutor(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        _selectEpochs = Command(
            "SELECT partition, epoch FROM partition_epochs WHERE partition IN (SELECT value FROM json_each($partitions))",
            "$partitions");
        _upsertEpoch = Command(
            "INSERT INTO partition_epochs (partition, epoch, updated_at) VALUES ($partition, $epoch, $now) " +
            "ON CONFLICT (partition) DO UPDATE SET epoch = excluded.epoch, updated_at = excluded.updated_at",
            "$partition", "$epoch", "$now");
        _selectState = Command(
            "SELECT version, data IS NOT NULL FROM grain_state WHERE state_name = $state AND grain_type = $type AND grain_key = $key",
            "$state", "$type", "$key");
        _insertState = Command(
            "INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at) " +
            "VALUES ($state, $type, $key, $data, 1, $partition, $epoch, $now) " +
            "ON CONFLICT (state_name, grain_type, grain_key) DO UPDATE SET data = excluded.data, version = grain_state.version + 1, " +
            "partition = excluded.partition, epoch = excluded.epoch, updated_at = excluded.updated_at WHERE grain_state.data IS NULL " +
            "RETURNING version",
            "$state", "$type", "$key", "$data", "$partition", "$epoch", "$now");
        _updateState = Command(
            "UPDATE grain_state SET data = $data, version = version + 1, partition = $partition, epoch = $epoch, updated_at = $now " +
            "WHERE state_name = $state AND grain_type = $type AND grain_key = $key AND version = $expected AND data IS NOT NULL " +
            "RETURNING version",
            "$state", "$type", "$key", "$data", "$partition", "$epoch", "$now", "$expected");
        _clearState = Command(
            "UPDATE grain_state SET data = NULL, version = version + 1, partition = $partition, epoch = $epoch, updated_at = $now " +
            "WHERE state_name = $state AND grain_type = $type AND grain_key = $key",
            "$state", "$type", "$key", "$partition", "$epoch", "$now");
        _selectLastSequence = Command("SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE stream = $stream", "$stream");
        _insertJournal = Command(
            "INSERT INTO journal (stream, sequence, type, timestamp, payload, partition, epoch) " +
            "VALUES ($stream, $sequence, $type, $timestamp, $payload, $partition, $epoch)",
            "$stream", "$sequence", "$type", "$timestamp", "$payload", "$partition", "$epoch");
    }

    // SQLite has no asynchronous I/O (the async ADO.NET methods run synchronously and only add a task
    // per call), so the commit loop calls it synchronously; it runs on a pool thread of its own anyway.
    public Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
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
            LoadEpochs(batch);
            foreach (var operation in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Fence(operation, now))
                {
                    continue;
                }
                switch (operation)
                {
                    case StateWriteOperation { IsClear: false } write:
                        WriteState(write, now);
                        break;
                    case StateWriteOperation clear:
                        ClearState(clear, now);
                        break;
                    case JournalAppendOperation append:
                        Append(append);
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
        return Task.CompletedTask;
    }

    /// <summary>Reads the stored epochs of every partition the batch touches, in one statement.</summary>
    private void LoadEpochs(IReadOnlyList<StoreOperation> batch)
    {
        var partitions = new StringBuilder("[");
        foreach (var operation in batch)
        {
            partitions.Append(operation.Partition).Append(',');
        }
        partitions[^1] = ']';
        _selectEpochs.Parameters[0].Value = partitions.ToString();
        using var reader = _selectEpochs.ExecuteReader();
        while (reader.Read())
        {
            _checkedEpochs[reader.GetInt32(0)] = reader.GetInt64(1);
        }
    }

    private bool Fence(StoreOperation operation, long now)
    {
        var known = _checkedEpochs.TryGetValue(operation.Partition, out var current);
        if (known && current > operation.Epoch)
        {
            operation.Refuse(operation.StaleEpoch(current));
            return false;
        }
        if (!known || current != operation.Epoch)
        {
            _checkedEpochs[operation.Partition] = operation.Epoch;
            _upsertEpoch.Parameters[0].Value = operation.Partition;
            _upsertEpoch.Parameters[1].Value = operation.Epoch;
            _upsertEpoch.Parameters[2].Value = now;
            _upsertEpoch.ExecuteNonQuery();
        }
        return true;
    }

    /// <summary>
    /// One statement on the happy path: an insert that may only replace a tombstone (no ETag expected),
    /// or an update of the live row at the expected version. No row back means the ETag did not match.
    /// </summary>
    private void WriteState(StateWriteOperation write, long now)
    {
        var command = write.ExpectedETag is null ? _insertState : _updateState;
        var parameters = command.Parameters;
        parameters[0].Value = write.Key.StateName;
        parameters[1].Value = write.Key.GrainId.Type;
        parameters[2].Value = write.Key.GrainId.Key;
        parameters[3].Value = ToArray(write.Data);
        parameters[4].Value = write.Partition;
        parameters[5].Value = write.Epoch;
        parameters[6].Value = now;
        if (write.ExpectedETag is not null)
        {
            // ETags compare as strings in every store: "007" is not "7".
            if (!long.TryParse(write.ExpectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected)
                || StoreRules.RenderETag(expected) != write.ExpectedETag)
            {
                RefuseETag(write);
                return;
            }
            parameters[7].Value = expected;
        }
        if (command.ExecuteScalar() is long version)
        {
            write.Succeed(StoreRules.RenderETag(version));
        }
        else
        {
            RefuseETag(write);
        }
    }

    private void ClearState(StateWriteOperation clear, long now)
    {
        var (version, live) = ReadVersion(clear.Key);
        if (!StoreRules.ETagMatches(clear.ExpectedETag, version, live))
        {
            clear.Refuse(StoreRules.ETagMismatch(clear.Key, clear.ExpectedETag, version, live));
            return;
        }
        if (live)
        {
            var parameters = _clearState.Parameters;
            parameters[0].Value = clear.Key.StateName;
            parameters[1].Value = clear.Key.GrainId.Type;
            parameters[2].Value = clear.Key.GrainId.Key;
            parameters[3].Value = clear.Partition;
            parameters[4].Value = clear.Epoch;
            parameters[5].Value = now;
            _clearState.ExecuteNonQuery();
        }
        clear.Succeed(null);
    }

    private void RefuseETag(StateWriteOperation write)
    {
        var (version, live) = ReadVersion(write.Key);
        write.Refuse(StoreRules.ETagMismatch(write.Key, write.ExpectedETag, version, live));
    }

    private (long? Version, bool Live) ReadVersion(StateKey key)
    {
        _selectState.Parameters[0].Value = key.StateName;
        _selectState.Parameters[1].Value = key.GrainId.Type;
        _selectState.Parameters[2].Value = key.GrainId.Key;
        using var reader = _selectState.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetBoolean(1)) : (null, false);
    }

    private void Append(JournalAppendOperation operation)
    {
        var append = operation.Append;
        _selectLastSequence.Parameters[0].Value = append.Stream;
        var last = (long)_selectLastSequence.ExecuteScalar()!;
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
            _insertJournal.ExecuteNonQuery();
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
        [_selectEpochs, _upsertEpoch, _selectState, _insertState, _updateState, _clearState, _selectLastSequence, _insertJournal];

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
