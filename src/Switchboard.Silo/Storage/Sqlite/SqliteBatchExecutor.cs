using Microsoft.Data.Sqlite;
using SQLitePCL;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.GroupCommit;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// Commits a batch on the store's single writer connection in one IMMEDIATE transaction. Each item's checks (ETag,
/// sequence) run before its rows are written, so a refused item writes nothing; any error from SQLite itself rolls the
/// whole batch back. Statements are prepared once and run through SQLite's own API (<see cref="SqliteStatement"/>).
/// </summary>
internal sealed class SqliteBatchExecutor : IBatchExecutor
{
    private readonly string _storeName;
    private readonly sqlite3 _db;
    private readonly TimeProvider _time;
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _selectVersion;
    private readonly SqliteStatement _insertState;
    private readonly SqliteStatement _updateState;
    private readonly SqliteStatement _clearState;
    private readonly SqliteStatement _selectLastSequence;
    private readonly SqliteStatement _insertJournal;

    // The journal feed: records of the batch that some follower wants, handed over once the batch commits.
    private readonly JournalFeed _feed;
    private readonly List<JournalRecord> _feedBatch = [];

    // The last journal position this writer knows of. Positions follow each other without gaps when this writer is the
    // journal's only one; a gap means another process appended to the file, and followers go back to reading the store.
    private long _lastPosition;
    private long _firstPositionOfBatch;
    private long _lastPositionOfBatch;

    // Set to 1 by the store's background checkpoint once it has copied the WAL's frames into the database file, to 2 by
    // the first batch committed after that (its frames are the ones left over): the writer finishes the copy only then.
    private int _finishCheckpoint;

    public SqliteBatchExecutor(string storeName, SqliteConnection connection, TimeProvider time, JournalFeed feed)
    {
        _storeName = storeName;
        _db = connection.Handle ?? throw new InvalidOperationException("the writer connection is not open");
        _time = time;
        _feed = feed;
        const string key = "grain_type = $type AND grain_key = $key AND state_name = $state";
        _begin = new SqliteStatement(_db, "BEGIN IMMEDIATE");
        _commit = new SqliteStatement(_db, "COMMIT");
        _rollback = new SqliteStatement(_db, "ROLLBACK");
        _selectVersion = new SqliteStatement(_db, $"SELECT version FROM grain_states WHERE {key}");
        _insertState = new SqliteStatement(_db,
            "INSERT INTO grain_states (grain_type, grain_key, state_name, data, version, updated_at) VALUES ($type, $key, $state, $data, 1, $now) " +
            "ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING RETURNING version");
        _updateState = new SqliteStatement(_db,
            $"UPDATE grain_states SET data = $data, version = version + 1, updated_at = $now WHERE {key} AND version = $expected RETURNING version");
        _clearState = new SqliteStatement(_db,
            $"UPDATE grain_states SET data = NULL, version = version + 1, updated_at = $now WHERE {key} AND version = $expected RETURNING version");
        _selectLastSequence = new SqliteStatement(_db, "SELECT COALESCE(MAX(sequence), 0) FROM journal_records WHERE stream = $stream");
        _insertJournal = new SqliteStatement(_db,
            "INSERT INTO journal_records (stream, sequence, type, timestamp, payload) VALUES ($stream, $sequence, $type, $timestamp, $payload)");
        _lastPosition = LastPosition();
    }

    // SQLite has no asynchronous I/O, so the commit loop calls it synchronously; it runs on a thread of its own.
    public Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
    {
        var now = StoreRules.ToUnixMicroseconds(_time.GetUtcNow());
        _feedBatch.Clear();
        _firstPositionOfBatch = 0;
        _begin.Execute();
        try
        {
            foreach (var operation in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
                    default:
                        throw new InvalidOperationException($"Unknown store operation {operation.GetType().Name}.");
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
    /// checkpoint runs beside the writer, so frames committed meanwhile are left over and the WAL is never wholly copied:
    /// SQLite starts writing it from its beginning again only then, so under steady load the file grew without end. The
    /// writer copies the few frames left while no commit adds any; its next transaction then restarts the WAL.
    /// </summary>
    public void RequestCheckpointFinish() => Volatile.Write(ref _finishCheckpoint, 1);

    public void AfterBatch()
    {
        if (Interlocked.CompareExchange(ref _finishCheckpoint, 0, 2) != 2)
        {
            return;
        }
        // PASSIVE: waits for no reader; BUSY or an I/O error leave the WAL as it is, and the background loop asks again.
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
        using var select = new SqliteStatement(_db, "SELECT COALESCE(MAX(position), 0) FROM journal_records");
        select.Step();
        return select.Int64(0);
    }

    /// <summary>
    /// One statement on the happy path: an insert that only creates a row (no ETag expected), or an update of the row at
    /// the expected version. No row back means the ETag did not match.
    /// </summary>
    private void WriteState(StateWriteOperation write, long now)
    {
        long? expected = null;
        if (write.ExpectedETag is not null && (expected = StoreRules.ParseETag(write.ExpectedETag)) is null)
        {
            RefuseETag(write);
            return;
        }
        var statement = expected is null ? _insertState : _updateState;
        BindKey(statement, write);
        statement.Bind(statement.Parameter("$data"), write.Data);
        statement.Bind(statement.Parameter("$now"), now);
        if (expected is { } version)
        {
            statement.Bind(statement.Parameter("$expected"), version);
        }
        Finish(write, RunForVersion(statement));
    }

    private void ClearState(StateWriteOperation clear, long now)
    {
        if (clear.ExpectedETag is null)
        {
            // Clearing what was never written is a no-op; any row (even a tombstone) means the grain read too early.
            if (ReadVersion(clear) is null)
            {
                clear.Succeed(null);
            }
            else
            {
                RefuseETag(clear);
            }
            return;
        }
        if (StoreRules.ParseETag(clear.ExpectedETag) is not { } expected)
        {
            RefuseETag(clear);
            return;
        }
        BindKey(_clearState, clear);
        _clearState.Bind(_clearState.Parameter("$now"), now);
        _clearState.Bind(_clearState.Parameter("$expected"), expected);
        Finish(clear, RunForVersion(_clearState));
    }

    private void Finish(StateWriteOperation operation, long? version)
    {
        if (version is { } v)
        {
            operation.Succeed(StoreRules.RenderETag(v));
        }
        else
        {
            RefuseETag(operation);
        }
    }

    private static long? RunForVersion(SqliteStatement statement)
    {
        try
        {
            long? version = null;
            if (statement.Step())
            {
                version = statement.Int64(0);
                while (statement.Step())
                {
                }
            }
            return version;
        }
        finally
        {
            statement.Reset();
        }
    }

    private void RefuseETag(StateWriteOperation write) =>
        write.Refuse(StoreRules.ETagMismatch(_storeName, write.StateName, write.GrainId, write.ExpectedETag, ReadVersion(write)));

    private long? ReadVersion(StateWriteOperation write)
    {
        BindKey(_selectVersion, write);
        try
        {
            return _selectVersion.Step() ? _selectVersion.Int64(0) : null;
        }
        finally
        {
            _selectVersion.Reset();
        }
    }

    private static void BindKey(SqliteStatement statement, StateWriteOperation write)
    {
        statement.Bind(statement.Parameter("$type"), write.GrainId.Type.ToString()!);
        statement.Bind(statement.Parameter("$key"), write.GrainId.Key.ToString()!);
        statement.Bind(statement.Parameter("$state"), write.StateName);
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
            _insertJournal.Execute();
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
        foreach (var statement in (SqliteStatement[])[_begin, _commit, _rollback, _selectVersion, _insertState, _updateState, _clearState,
            _selectLastSequence, _insertJournal])
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
