using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Storage.Sqlite;

/// <summary>
/// The embedded grain store: one SQLite file in WAL mode with <c>synchronous=FULL</c>. Writes are
/// group-committed through a single writer connection; reads use pooled connections of their own,
/// which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteGrainStore : IGrainStore
{
    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private SqliteConnection? _writer;
    private GroupCommitter? _committer;
    private SqliteBatchExecutor? _executor;
    private CancellationTokenSource? _checkpointStop;
    private Task? _checkpointLoop;
    private int _disposed;

    /// <summary>Creates a store called <paramref name="name"/>; <see cref="InitializeAsync"/> opens it.</summary>
    public SqliteGrainStore(string name, SqliteStoreOptions options, ILogger<SqliteGrainStore>? logger = null, TimeProvider? timeProvider = null)
    {
        StoreRules.ValidateName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataSource))
        {
            throw new ArgumentException($"Store '{name}': SqliteStoreOptions.DataSource must name the database file.", nameof(options));
        }
        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, $"Store '{name}': SqliteStoreOptions.MaxBatchSize must be at least 1.");
        }
        Name = name;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public StoreStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public JournalFeed Feed { get; } = new();

    /// <summary>
    /// Caps the database file at its current size plus <paramref name="extraPages"/>, so tests can provoke a
    /// real storage failure (SQLITE_FULL) mid-batch. Call only while no write is pending: it uses the writer connection.
    /// </summary>
    internal async Task LimitDatabaseGrowthForTestsAsync(long extraPages)
    {
        var writer = _writer ?? throw new InvalidOperationException($"Store '{Name}' is not initialized.");
        await using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        var pages = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        command.CommandText = $"PRAGMA max_page_count = {pages + extraPages}";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_committer is not null)
        {
            return;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL lets readers run beside the single writer; FULL syncs the WAL on every commit, so an
            // acknowledged write survives power loss too. Group commit pays that fsync once per batch.
            // With background checkpoints the writer never checkpoints inline (wal_autocheckpoint = 0).
            var autoCheckpoint = _options.CheckpointInterval > TimeSpan.Zero ? 0 : 1000;
            await ExecuteAsync(connection,
                $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA wal_autocheckpoint = {autoCheckpoint};",
                cancellationToken).ConfigureAwait(false);
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = (SqliteTransaction)transaction;
                command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'grain_state'";
                var stateTable = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                var migrate = stateTable is not null && stateTable.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase);
                if (migrate)
                {
                    command.CommandText = "ALTER TABLE grain_state RENAME TO grain_state_without_rowid";
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                command.CommandText = StoreSchema.Load("Sqlite");
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (migrate)
                {
                    // Files written before the state table had a rowid: the rows move as they are, versions (ETags)
                    // included, in the same transaction as the new schema.
                    command.CommandText = MigrateStateTableSql;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DbException error)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            // The full path: a relative one says little in a log read elsewhere.
            var file = Path.GetFullPath(_options.DataSource);
            StoreLog.Unavailable(_logger, Name, file, error.Message);
            throw new StoreUnavailableException(Name, file, error);
        }
        _writer = connection;
        _executor = new SqliteBatchExecutor(connection, _time, Feed);
        _committer = new GroupCommitter(Name, _executor, _options.MaxBatchSize, Statistics, _logger);
        _committer.Start();
        if (_options.CheckpointInterval > TimeSpan.Zero)
        {
            _checkpointStop = new CancellationTokenSource();
            _checkpointLoop = CheckpointLoopAsync(_checkpointStop.Token);
        }
        StoreLog.Initialized(_logger, Name, _options.DataSource);
    }

    private const string MigrateStateTableSql =
        "INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at) " +
        "SELECT state_name, grain_type, grain_key, data, version, partition, epoch, updated_at FROM grain_state_without_rowid; " +
        "DROP TABLE grain_state_without_rowid;";

    // A PASSIVE checkpoint on its own connection copies committed WAL frames into the database file beside the
    // writer instead of inside one of its commits, so no batch waits for it; the writer then copies the frames
    // committed meanwhile, between two batches, so the WAL is wholly copied and starts over (SqliteBatchExecutor).
    // It runs on the wall clock: it is disk upkeep, not part of what a virtual clock simulates.
    private async Task CheckpointLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.CheckpointInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await CheckpointAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>One round of the checkpoint loop: the background copy, then the writer's request to finish it.</summary>
    internal async Task CheckpointAsync(CancellationToken stop)
    {
        try
        {
            await using var connection = await OpenReaderAsync(stop).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", stop).ConfigureAwait(false);
            _executor?.RequestCheckpointFinish();
        }
        catch (DbException error)
        {
            StoreLog.CheckpointFailed(_logger, Name, error.Message);
        }
    }

    /// <inheritdoc />
    public Task<StoredState?> ReadStateAsync(StateKey key, CancellationToken cancellationToken)
    {
        StoreRules.Validate(key, nameof(key));
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            var statement = reader.Statement(
                "SELECT data, version FROM grain_state WHERE state_name = $state AND grain_type = $type AND grain_key = $key AND data IS NOT NULL");
            statement.Bind(1, key.StateName);
            statement.Bind(2, key.GrainId.Type);
            statement.Bind(3, key.GrainId.Key);
            try
            {
                return Task.FromResult(statement.Step() ? new StoredState(statement.Blob(0), StoreRules.RenderETag(statement.Int64(1))) : null);
            }
            finally
            {
                statement.Reset();
            }
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    /// <inheritdoc />
    public async Task<string> WriteStateAsync(StateWrite write, CancellationToken cancellationToken)
    {
        StoreRules.Validate(write);
        return (await Committer.EnqueueAsync(new StateWriteOperation(write, cancellationToken)).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public Task ClearStateAsync(StateClear clear, CancellationToken cancellationToken)
    {
        StoreRules.Validate(clear);
        return Committer.EnqueueAsync(new StateWriteOperation(clear, cancellationToken));
    }

    /// <inheritdoc />
    public Task AppendJournalAsync(JournalAppend append, CancellationToken cancellationToken)
    {
        StoreRules.Validate(append);
        return Committer.EnqueueAsync(new JournalAppendOperation(append, cancellationToken));
    }

    /// <inheritdoc />
    public Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            // The unique (stream, sequence) index answers this without reading the stream.
            var statement = reader.Statement("SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE stream = $stream");
            statement.Bind(1, stream);
            try
            {
                statement.Step();
                return Task.FromResult(statement.Int64(0));
            }
            finally
            {
                statement.Reset();
            }
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalRecord> ReadJournalAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoreRules.Validate(query);
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            var statement = reader.Statement(JournalSql(query));
            try
            {
                statement.Bind(statement.Parameter("$after"), query.AfterPosition);
                if (query.Stream is not null)
                {
                    statement.Bind(statement.Parameter("$stream"), query.Stream);
                }
                if (query.StreamPrefix is not null)
                {
                    statement.Bind(statement.Parameter("$prefix"), query.StreamPrefix);
                }
                if (query.FromSequence > 0)
                {
                    statement.Bind(statement.Parameter("$fromSequence"), query.FromSequence);
                }
                if (query.Types is not null)
                {
                    statement.Bind(statement.Parameter("$types"), System.Text.Json.JsonSerializer.Serialize(query.Types));
                }
                if (query.From is { } from)
                {
                    statement.Bind(statement.Parameter("$from"), StoreRules.ToUnixMicroseconds(from));
                }
                if (query.To is { } to)
                {
                    statement.Bind(statement.Parameter("$to"), StoreRules.ToUnixMicroseconds(to));
                }
                if (query.Limit is { } limit)
                {
                    statement.Bind(statement.Parameter("$limit"), limit);
                }
                while (statement.Step())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return new JournalRecord(statement.Int64(0), statement.Text(1), statement.Int64(2), statement.Text(3),
                        StoreRules.FromUnixMicroseconds(statement.Int64(4)), statement.Blob(5));
                }
            }
            finally
            {
                statement.Reset();
            }
        }
        finally
        {
            ReturnReader(reader);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    // The SQL of each shape of journal query (which filters it has), built once per shape.
    private static readonly string?[] JournalSqlByShape = new string?[128];

    private static string JournalSql(JournalQuery query)
    {
        var shape = (query.Stream is not null ? 1 : 0) | (query.StreamPrefix is not null ? 2 : 0) | (query.FromSequence > 0 ? 4 : 0)
            | (query.From is not null ? 8 : 0) | (query.To is not null ? 16 : 0) | (query.Limit is not null ? 32 : 0) | (query.Types is not null ? 64 : 0);
        if (Volatile.Read(ref JournalSqlByShape[shape]) is { } cached)
        {
            return cached;
        }
        var sql = new System.Text.StringBuilder("SELECT position, stream, sequence, type, timestamp, payload FROM journal WHERE position > $after");
        if ((shape & 1) != 0)
        {
            sql.Append(" AND stream = $stream");
        }
        if ((shape & 2) != 0)
        {
            sql.Append(" AND stream >= $prefix AND substr(stream, 1, length($prefix)) = $prefix");
        }
        if ((shape & 4) != 0)
        {
            sql.Append(" AND sequence >= $fromSequence");
        }
        if ((shape & 64) != 0)
        {
            sql.Append(" AND type IN (SELECT value FROM json_each($types))");
        }
        if ((shape & 8) != 0)
        {
            sql.Append(" AND timestamp >= $from");
        }
        if ((shape & 16) != 0)
        {
            sql.Append(" AND timestamp < $to");
        }
        sql.Append(" ORDER BY position");
        if ((shape & 32) != 0)
        {
            sql.Append(" LIMIT $limit");
        }
        var text = sql.ToString();
        Volatile.Write(ref JournalSqlByShape[shape], text);
        return text;
    }

    /// <summary>Commits every write already queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_checkpointStop is not null)
        {
            await _checkpointStop.CancelAsync().ConfigureAwait(false);
            await _checkpointLoop!.ConfigureAwait(false);
            _checkpointStop.Dispose();
        }
        if (_committer is not null)
        {
            await _committer.DisposeAsync().ConfigureAwait(false);
            StoreLog.Stopped(_logger, Name);
        }
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
        if (_writer is not null)
        {
            SqliteConnection.ClearPool(_writer);
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private GroupCommitter Committer => _committer
        ?? throw new InvalidOperationException($"Store '{Name}' is not initialized: call InitializeAsync before writing.");

    // Reader connections with their prepared statements, kept for the next read (WAL lets them run beside the writer).
    private readonly ConcurrentBag<SqliteReader> _readers = [];
    private const int IdleReaders = 8;

    private SqliteReader RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_readers.TryTake(out var reader))
        {
            return reader;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            raw.sqlite3_busy_timeout(connection.Handle, (int)_options.BusyTimeout.TotalMilliseconds);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new SqliteReader(connection);
    }

    private void ReturnReader(SqliteReader reader)
    {
        if (_disposed != 0 || _readers.Count >= IdleReaders)
        {
            reader.Dispose();
            return;
        }
        _readers.Add(reader);
        if (_disposed != 0 && _readers.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    /// <summary>A reader connection and the statements prepared on it, by SQL text.</summary>
    private sealed class SqliteReader(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

        public SqliteStatement Statement(string sql)
        {
            if (!_statements.TryGetValue(sql, out var statement))
            {
                statement = new SqliteStatement(connection.Handle!, sql);
                _statements[sql] = statement;
            }
            return statement;
        }

        public void Dispose()
        {
            foreach (var statement in _statements.Values)
            {
                statement.Dispose();
            }
            connection.Dispose();
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
