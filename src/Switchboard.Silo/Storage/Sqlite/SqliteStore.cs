using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.GroupCommit;
using Switchboard.Silo.Storage.PreviousBuild;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// The embedded store's file, <c>switchboard.db</c>: WAL mode with <c>synchronous=FULL</c>, one writer connection whose
/// committer thread group-commits grain state writes and journal appends in the order they were queued, and a small
/// pool of reader connections that WAL lets run beside it. <see cref="SqliteGrainStorage"/> and
/// <see cref="SqliteEventJournal"/> are its two faces. Opened in the silo's store lifecycle stage.
/// </summary>
internal sealed class SqliteStore : IAsyncDisposable
{
    /// <summary>The store's name in logs, metrics and errors.</summary>
    public const string StoreName = "sqlite";

    /// <summary>Marks the file as Switchboard's (<c>PRAGMA application_id</c>, "SWBD"); the previous build left it 0.</summary>
    public const int ApplicationId = 0x53574244;

    /// <summary>The schema's version (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const int IdleReaders = 8;

    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteReader> _readers = [];
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private SqliteConnection? _writer;
    private GroupCommitter? _committer;
    private SqliteBatchExecutor? _executor;
    private CancellationTokenSource? _checkpointStop;
    private Task? _checkpointLoop;
    private int _disposed;

    public SqliteStore(SqliteStoreOptions options, ILogger<SqliteStore> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            throw new ArgumentException($"Store '{StoreName}': SqliteStoreOptions.DataDirectory must name the data folder.", nameof(options));
        }
        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, $"Store '{StoreName}': MaxBatchSize must be at least 1.");
        }
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        Path = options.DatabasePath;
        _connectionString = ConnectionString(Path, options.BusyTimeout);
    }

    /// <summary>The database file, full path.</summary>
    public string Path { get; }

    public JournalStatistics Statistics { get; } = new();

    /// <summary>Every commit's journal records, in position order, for followers in this process (the only writer).</summary>
    public JournalFeed Feed { get; } = new();

    /// <summary>An ADO.NET connection string for this file, for Orleans' AdoNet provider and for tools.</summary>
    public static string ConnectionString(string path, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>
    /// Opens the file: refuses a data folder of the previous build (<see cref="PreviousBuildDataException"/>, the file
    /// untouched) or a file that is not Switchboard's, applies the schema, starts the committer. Idempotent.
    /// </summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_committer is not null)
            {
                return;
            }
            await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _openGate.Release();
        }
    }

    private async Task OpenWriterAsync(CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(folder);
            // Looked at read-only first: a file of the previous build is never written, not even by a schema script.
            PreviousBuildData.ThrowIfPreviousBuild(_options.DataDirectory);
            connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL lets readers run beside the single writer; FULL syncs the WAL on every commit, so an acknowledged
            // write survives power loss too. Group commit pays that fsync once per batch. With background checkpoints
            // the writer never checkpoints inline (wal_autocheckpoint = 0).
            var autoCheckpoint = _options.CheckpointInterval > TimeSpan.Zero ? 0 : 1000;
            await ExecuteAsync(connection,
                $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; " +
                $"PRAGMA wal_autocheckpoint = {autoCheckpoint};", cancellationToken).ConfigureAwait(false);
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA application_id";
                var applicationId = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                command.CommandText = "SELECT count(*) FROM sqlite_master";
                var objects = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                if (objects > 0 && applicationId != ApplicationId)
                {
                    throw new StoreUnavailableException(StoreName, Path,
                        "the file is not a Switchboard database (it holds tables of something else); nothing was changed. Give the silo a data folder of its own.");
                }
                command.CommandText = StoreScripts.Load("sqlite-schema.sql") + StoreScripts.Load("sqlite-adonet.sql") +
                    $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion};";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            StoreLog.SchemaApplied(_logger, StoreName, "sqlite-schema.sql, sqlite-adonet.sql", Path);
        }
        catch (Exception error) when (error is DbException or IOException or UnauthorizedAccessException)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            StoreLog.Unavailable(_logger, StoreName, Path, error.Message);
            throw new StoreUnavailableException(StoreName, Path, $"cannot be opened: {error.Message}", error);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
        _writer = connection;
        _executor = new SqliteBatchExecutor(StoreName, connection, _time, Feed);
        _committer = new GroupCommitter(StoreName, Path, _executor, _options.MaxBatchSize, Statistics, _logger);
        _committer.Start();
        if (_options.CheckpointInterval > TimeSpan.Zero)
        {
            _checkpointStop = new CancellationTokenSource();
            _checkpointLoop = CheckpointLoopAsync(_checkpointStop.Token);
        }
        StoreLog.Ready(_logger, StoreName, Path);
    }

    /// <summary>
    /// Caps the database file at its current size plus <paramref name="extraPages"/>, so tests can provoke a real storage
    /// failure (SQLITE_FULL) mid-batch. Call only while no write is pending: it uses the writer connection.
    /// </summary>
    internal async Task LimitDatabaseGrowthForTestsAsync(long extraPages)
    {
        var writer = _writer ?? throw new InvalidOperationException($"Store '{StoreName}' is not open.");
        await using var command = writer.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        var pages = (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        command.CommandText = $"PRAGMA max_page_count = {pages + extraPages}";
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    // A PASSIVE checkpoint on its own connection copies committed WAL frames into the database file beside the writer
    // instead of inside one of its commits; the writer then copies the frames committed meanwhile, between two batches,
    // so the WAL is wholly copied and starts over. Disk upkeep: it runs on the wall clock, not on a virtual one.
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
    }

    private async Task CheckpointAsync(CancellationToken stop)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(stop).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", stop).ConfigureAwait(false);
            _executor?.RequestCheckpointFinish();
        }
        catch (DbException error)
        {
            StoreLog.CheckpointFailed(_logger, StoreName, error.Message);
        }
    }

    /// <summary>Queues a state write or clear; completes with the new ETag once durable.</summary>
    public Task<string?> EnqueueAsync(StoreOperation operation) => Committer.EnqueueAsync(operation);

    /// <summary>A state row: its data (null for a tombstone) and version; null when the grain never wrote it.</summary>
    public (byte[]? Data, long Version)? ReadState(string stateName, GrainId grainId)
    {
        var reader = RentReader();
        try
        {
            var statement = reader.Statement("SELECT data, version FROM grain_states WHERE grain_type = $type AND grain_key = $key AND state_name = $state");
            statement.Bind(1, grainId.Type.ToString()!);
            statement.Bind(2, grainId.Key.ToString()!);
            statement.Bind(3, stateName);
            try
            {
                return statement.Step() ? (statement.IsNull(0) ? null : statement.Blob(0), statement.Int64(1)) : null;
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

    public long GetLastSequence(string stream)
    {
        var reader = RentReader();
        try
        {
            // The unique (stream, sequence) index answers this without reading the stream.
            var statement = reader.Statement("SELECT COALESCE(MAX(sequence), 0) FROM journal_records WHERE stream = $stream");
            statement.Bind(1, stream);
            try
            {
                statement.Step();
                return statement.Int64(0);
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

    public async IAsyncEnumerable<JournalRecord> ReadJournalAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
        var sql = new StringBuilder("SELECT position, stream, sequence, type, timestamp, payload FROM journal_records WHERE position > $after");
        if ((shape & 1) != 0)
        {
            sql.Append(" AND stream = $stream");
        }
        if ((shape & 2) != 0)
        {
            // The range lets the (stream, sequence) index find the prefix; substr keeps the comparison exact.
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

    /// <summary>Commits every write already queued, then closes the file.</summary>
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
            StoreLog.Stopped(_logger, StoreName);
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
        _openGate.Dispose();
    }

    private GroupCommitter Committer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _committer ?? throw new InvalidOperationException(
                $"Store '{StoreName}' is not open yet: it opens in the silo's store lifecycle stage ({StoreLifecycleStage.Open}), before grains activate.");
        }
    }

    private SqliteReader RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _ = Committer;
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

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
}
