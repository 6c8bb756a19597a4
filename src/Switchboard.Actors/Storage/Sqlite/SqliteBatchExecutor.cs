using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Storage.Sqlite;

/// <summary>
/// Commits a batch on the store's single writer connection in one IMMEDIATE transaction. Each item's
/// checks (fencing, ETag, sequence) run before its rows are written, so a refused item writes nothing;
/// any error from SQLite itself rolls the whole batch back. Statements are prepared once and run through
/// SQLite's own API (<see cref="SqliteStatement"/>), so a batch allocates next to nothing.
/// </summary>
internal sealed class SqliteBatchExecutor : IStoreBatchExecutor
{
    private readonly sqlite3 _db;
    private readonly TimeProvider _time;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _selectEpoch;
    private readonly SqliteStatement _upsertEpoch;
    private readonly SqliteStatement _selectState;
    private readonly SqliteStatement _insertState;
    private readonly SqliteStatement _updateState;
    private readonly SqliteStatement _clearState;
    private readonly SqliteStatement _selectLastSequence;
    private readonly SqliteStatement _insertJournal;

    // The stored epochs of the batch's partitions, read once the transaction holds SQLite's write lock
    // (so no other process can change them under it) and kept current as the batch raises them.
    private readonly Dictionary<int, long> _checkedEpochs = [];

    // The journal feed: records of the batch that some follower wants, handed over once the batch commits.
    private readonly JournalFeed _feed;
    private readonly List<JournalRecord> _feedBatch = [];

    // The last journal position this writer knows of. Positions follow each other without gaps when this writer is
    // the journal's only one; a gap means another process appended to the file, and the feed's followers go back to
    // reading the store.
    private long _lastPosition;
    private long _firstPositionOfBatch;
    private long _lastPositionOfBatch;

    // Set to 1 by the store's background checkpoint once it has copied the WAL's frames into the database file, to 2
    // by the first batch committed after that (its frames are the ones left over): the writer finishes the copy only
    // then. A batch that committed before the request, and whose AfterBatch merely ran after it, left nothing over.
    private int _finishCheckpoint;

    public SqliteBatchExecutor(SqliteConnection connection, TimeProvider time, JournalFeed feed)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the writer connection is not open");
        _time = time;
        _feed = feed;
        _begin = new SqliteStatement(_db, "BEGIN IMMEDIATE");
        _commit = new SqliteStatement(_db, "COMMIT");
        _rollback = new SqliteStatement(_db, "ROLLBACK");
        _selectEpoch = new SqliteStatement(_db, "SELECT epoch FROM partition_epochs WHERE partition = $partition");
        _upsertEpoch = new SqliteStatement(_db,
            "INSERT INTO partition_epochs (partition, epoch, updated_at) VALUES ($partition, $epoch, $now) " +
            "ON CONFLICT (partition) DO UPDATE SET epoch = excluded.epoch, updated_at = excluded.updated_at");
        _selectState = new SqliteStatement(_db,
            "SELECT version, data IS NOT NULL FROM grain_state WHERE state_name = $state AND grain_type = $type AND grain_key = $key");
        _insertState = new SqliteStatement(_db,
            "INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at) " +
            "VALUES ($state, $type, $key, $data, 1, $partition, $epoch, $now) " +
            "ON CONFLICT (state_name, grain_type, grain_key) DO UPDATE SET data = excluded.data, version = grain_state.version + 1, " +
            "partition = excluded.partition, epoch = excluded.epoch, updated_at = excluded.updated_at WHERE grain_state.data IS NULL " +
            "RETURNING version");
        _updateState = new SqliteStatement(_db,
            "UPDATE grain_state SET data = $data, version = version + 1, partition = $partition, epoch = $epoch, updated_at = $now " +
            "WHERE state_name = $state AND grain_type = $type AND grain_key = $key AND version = $expected AND data IS NOT NULL " +
            "RETURNING version");
        _clearState = new SqliteStatement(_db,
            "UPDATE grain_state SET data = NULL, version = version + 1, partition = $partition, epoch = $epoch, updated_at = $now " +
            "WHERE state_name = $state AND grain_type = $type AND grain_key = $key");
        _selectLastSequence = new SqliteStatement(_db, "SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE stream = $stream");
        _insertJournal = new SqliteStatement(_db,
            "INSERT INTO journal (stream, sequence, type, timestamp, payload, partition, epoch) " +
            "VALUES ($stream, $sequence, $type, $timestamp, $payload, $partition, $epoch)");
        _lastPosition = LastPosition();
    }

    // SQLite has no asynchronous I/O, so the commit loop calls it synchronously; it runs on a thread of its own.
    public Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
    {
        var now = StoreRules.ToUnixMicroseconds(_time.GetUtcNow());
        _checkedEpochs.Clear();
        _feedBatch.Clear();
        _firstPositionOfBatch = 0;
        _begin.Execute();
        try
        {
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
            _commit.Execute();
            Interlocked.CompareExchange(ref _finishCheckpoint, 2, 1);
        }
        catch
        {
            _feedBatch.Clear();
            TryRollback();
            throw;
        }
        PublishToFeed();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Asks the writer to finish the checkpoint the background one started, between two batches. The background
    /// checkpoint runs beside the writer, so frames committed meanwhile are left over and the WAL is never wholly
    /// copied: SQLite starts writing it from its beginning again only then, so under steady load the file grew
    /// without end (1.7 GB in 30 s at 500 calls/s). The writer copies the few frames left while no commit adds any;
    /// its next transaction then restarts the WAL (unless a reader still holds a snapshot in it: the next round).
    /// </summary>
    public void RequestCheckpointFinish() => Volatile.Write(ref _finishCheckpoint, 1);

    public void AfterBatch()
    {
        if (Interlocked.CompareExchange(ref _finishCheckpoint, 0, 2) != 2)
        {
            return;
        }
        // PASSIVE: waits for no reader; BUSY (another checkpoint running) or an I/O error leave the WAL as it is,
        // and the background loop asks again.
        raw.sqlite3_wal_checkpoint_v2(_db, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
    }

    private void PublishToFeed()
    {
        if (_firstPositionOfBatch == 0)
        {
            return;
        }
        if (_firstPositionOfBatch != _lastPosition + 1)
        {
            _feed.Interrupt();
        }
        _lastPosition = _lastPositionOfBatch;
        if (_feedBatch.Count > 0)
        {
            _feed.Publish(_feedBatch);
            _feedBatch.Clear();
        }
    }

    // Read once, when the writer opens: afterwards this writer knows every position it adds.
    private long LastPosition()
    {
        using var select = new SqliteStatement(_db, "SELECT COALESCE(MAX(position), 0) FROM journal");
        select.Step();
        return select.Int64(0);
    }

    /// <summary>Reads the stored epoch of every partition the batch touches.</summary>
    private void LoadEpochs(IReadOnlyList<StoreOperation> batch)
    {
        foreach (var operation in batch)
        {
            var partition = operation.Partition;
            if (_checkedEpochs.ContainsKey(partition))
            {
                continue;
            }
            _selectEpoch.Bind(1, partition);
            try
            {
                if (_selectEpoch.Step())
                {
                    _checkedEpochs[partition] = _selectEpoch.Int64(0);
                }
            }
            finally
            {
                _selectEpoch.Reset();
            }
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
            _upsertEpoch.Bind(1, operation.Partition);
            _upsertEpoch.Bind(2, operation.Epoch);
            _upsertEpoch.Bind(3, now);
            _upsertEpoch.Execute();
        }
        return true;
    }

    /// <summary>
    /// One statement on the happy path: an insert that may only replace a tombstone (no ETag expected),
    /// or an update of the live row at the expected version. No row back means the ETag did not match.
    /// </summary>
    private void WriteState(StateWriteOperation write, long now)
    {
        var statement = write.ExpectedETag is null ? _insertState : _updateState;
        long expected = 0;
        if (write.ExpectedETag is not null)
        {
            // ETags compare as strings in every store: "007" is not "7".
            if (!long.TryParse(write.ExpectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out expected)
                || StoreRules.RenderETag(expected) != write.ExpectedETag)
            {
                RefuseETag(write);
                return;
            }
        }
        long? version = null;
        try
        {
            BindStateKey(statement, write.Key);
            statement.Bind(statement.Parameter("$data"), write.Data);
            statement.Bind(statement.Parameter("$partition"), write.Partition);
            statement.Bind(statement.Parameter("$epoch"), write.Epoch);
            statement.Bind(statement.Parameter("$now"), now);
            if (write.ExpectedETag is not null)
            {
                statement.Bind(statement.Parameter("$expected"), expected);
            }
            if (statement.Step())
            {
                version = statement.Int64(0);
                while (statement.Step())
                {
                }
            }
        }
        finally
        {
            statement.Reset();
        }
        if (version is { } v)
        {
            write.Succeed(StoreRules.RenderETag(v));
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
            BindStateKey(_clearState, clear.Key);
            _clearState.Bind(_clearState.Parameter("$partition"), clear.Partition);
            _clearState.Bind(_clearState.Parameter("$epoch"), clear.Epoch);
            _clearState.Bind(_clearState.Parameter("$now"), now);
            _clearState.Execute();
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
        BindStateKey(_selectState, key);
        try
        {
            return _selectState.Step() ? (_selectState.Int64(0), _selectState.Int64(1) != 0) : (null, false);
        }
        finally
        {
            _selectState.Reset();
        }
    }

    private static void BindStateKey(SqliteStatement statement, StateKey key)
    {
        statement.Bind(statement.Parameter("$state"), key.StateName);
        statement.Bind(statement.Parameter("$type"), key.GrainId.Type);
        statement.Bind(statement.Parameter("$key"), key.GrainId.Key);
    }

    private void Append(JournalAppendOperation operation)
    {
        var append = operation.Append;
        long last;
        _selectLastSequence.Bind(1, append.Stream);
        try
        {
            _selectLastSequence.Step();
            last = _selectLastSequence.Int64(0);
        }
        finally
        {
            _selectLastSequence.Reset();
        }
        if (append.FirstSequence != last + 1)
        {
            operation.Refuse(new JournalConflictException(append.Stream, append.FirstSequence, last));
            return;
        }
        for (var i = 0; i < append.Entries.Count; i++)
        {
            var entry = append.Entries[i];
            _insertJournal.Bind(1, append.Stream);
            _insertJournal.Bind(2, append.FirstSequence + i);
            _insertJournal.Bind(3, entry.Type);
            _insertJournal.Bind(4, StoreRules.ToUnixMicroseconds(entry.Timestamp));
            _insertJournal.Bind(5, entry.Payload);
            _insertJournal.Bind(6, append.Partition);
            _insertJournal.Bind(7, append.Epoch);
            _insertJournal.Execute();
            // Read right after the insert: a later epoch upsert in the same batch moves last_insert_rowid.
            var position = raw.sqlite3_last_insert_rowid(_db);
            _lastPositionOfBatch = position;
            if (_firstPositionOfBatch == 0)
            {
                _firstPositionOfBatch = position;
            }
            if (_feed.Wants(entry.Type))
            {
                _feedBatch.Add(JournalFeed.Record(position, append.Stream, append.FirstSequence + i, entry, StoreRules.Truncate(entry.Timestamp)));
            }
        }
        operation.Succeed(null);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var statement in (SqliteStatement[])[_begin, _commit, _rollback, _selectEpoch, _upsertEpoch, _selectState, _insertState,
            _updateState, _clearState, _selectLastSequence, _insertJournal])
        {
            statement.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private void TryRollback()
    {
        // SQLite may already have rolled back on its own (SQLITE_FULL, I/O errors): then nothing is left to undo.
        if (raw.sqlite3_get_autocommit(_db) != 0)
        {
            return;
        }
        try
        {
            _rollback.Execute();
        }
        catch (SqliteException)
        {
            // The connection is unusable for this batch either way; the next BEGIN reports what is wrong.
        }
    }
}
