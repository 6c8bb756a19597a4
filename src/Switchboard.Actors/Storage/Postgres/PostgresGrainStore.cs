using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Storage.Postgres;

/// <summary>
/// The cluster grain store on PostgreSQL. Writes are group-committed on one connection, each batch one
/// transaction sent as one <see cref="NpgsqlBatch"/>; reads use pooled connections of their own.
/// </summary>
public sealed class PostgresGrainStore : IGrainStore
{
    // Any constant: serializes schema set-up when several silos start at once.
    private const long SchemaLockKey = 0x5377_6974_6368_6264;

    private readonly PostgresStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly NpgsqlConnectionStringBuilder _connection;
    private NpgsqlDataSource? _dataSource;
    private GroupCommitter? _committer;
    private int _disposed;

    /// <summary>Creates a store called <paramref name="name"/>; <see cref="InitializeAsync"/> connects.</summary>
    public PostgresGrainStore(string name, PostgresStoreOptions options, ILogger<PostgresGrainStore>? logger = null, TimeProvider? timeProvider = null)
    {
        StoreRules.ValidateName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException($"Store '{name}': PostgresStoreOptions.ConnectionString is required.", nameof(options));
        }
        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, $"Store '{name}': PostgresStoreOptions.MaxBatchSize must be at least 1.");
        }
        Name = name;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        try
        {
            _connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"Store '{name}': PostgresStoreOptions.ConnectionString is not a valid connection string: {error.Message}", nameof(options), error);
        }
        if (!SetsConnectTimeout(options.ConnectionString))
        {
            _connection.Timeout = Math.Max(1, (int)Math.Ceiling(options.ConnectTimeout.TotalSeconds));
        }
        _connection.ApplicationName ??= $"switchboard-store-{name}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public StoreStatistics Statistics { get; } = new();

    /// <summary>Where the store connects, without credentials: <c>host:port/database</c>.</summary>
    public string Target => $"{_connection.Host}:{_connection.Port}/{_connection.Database ?? _connection.Username}";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_committer is not null)
        {
            return;
        }
        var dataSource = NpgsqlDataSource.Create(_connection.ConnectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = SchemaLockKey });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using (var command = new NpgsqlCommand(StoreSchema.Load("Postgres"), connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            StoreLog.Unavailable(_logger, Name, Target, error.Message);
            throw new StoreUnavailableException(Name, Target, error);
        }
        _dataSource = dataSource;
        _committer = new GroupCommitter(Name, new PostgresBatchExecutor(dataSource, _time), _options.MaxBatchSize, Statistics, _logger);
        _committer.Start();
        StoreLog.Initialized(_logger, Name, Target);
    }

    /// <inheritdoc />
    public async Task<StoredState?> ReadStateAsync(StateKey key, CancellationToken cancellationToken)
    {
        StoreRules.Validate(key, nameof(key));
        await using var command = DataSource.CreateCommand(
            "SELECT data, version FROM grain_state WHERE state_name = $1 AND grain_type = $2 AND grain_key = $3 AND data IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainId.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainId.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new StoredState(reader.GetFieldValue<byte[]>(0), StoreRules.RenderETag(reader.GetInt64(1)));
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
    public async Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        await using var command = DataSource.CreateCommand("SELECT COALESCE(MAX(sequence), 0) FROM journal WHERE stream = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalRecord> ReadJournalAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoreRules.Validate(query);
        var sql = new StringBuilder("SELECT position, stream, sequence, type, timestamp, payload FROM journal WHERE position > $1");
        await using var command = DataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.AfterPosition });
        if (query.Stream is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Stream });
            sql.Append(" AND stream = $").Append(command.Parameters.Count);
        }
        if (query.StreamPrefix is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.StreamPrefix });
            sql.Append(" AND starts_with(stream, $").Append(command.Parameters.Count).Append(')');
        }
        if (query.Types is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. query.Types] });
            sql.Append(" AND type = ANY($").Append(command.Parameters.Count).Append(')');
        }
        if (query.FromSequence > 0)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.FromSequence });
            sql.Append(" AND sequence >= $").Append(command.Parameters.Count);
        }
        if (query.From is { } from)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = StoreRules.Truncate(from).UtcDateTime });
            sql.Append(" AND timestamp >= $").Append(command.Parameters.Count);
        }
        if (query.To is { } to)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = StoreRules.Truncate(to).UtcDateTime });
            sql.Append(" AND timestamp < $").Append(command.Parameters.Count);
        }
        sql.Append(" ORDER BY position");
        if (query.Limit is { } limit)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            sql.Append(" LIMIT $").Append(command.Parameters.Count);
        }
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var timestamp = new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero);
            yield return new JournalRecord(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                timestamp, reader.GetFieldValue<byte[]>(5));
        }
    }

    /// <summary>Commits every write already queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_committer is not null)
        {
            await _committer.DisposeAsync().ConfigureAwait(false);
            StoreLog.Stopped(_logger, Name);
        }
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool SetsConnectTimeout(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Timeout") || given.ContainsKey("Connect Timeout") || given.ContainsKey("Connection Timeout");
    }

    private GroupCommitter Committer => _committer
        ?? throw new InvalidOperationException($"Store '{Name}' is not initialized: call InitializeAsync before writing.");

    private NpgsqlDataSource DataSource
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _dataSource ?? throw new InvalidOperationException($"Store '{Name}' is not initialized: call InitializeAsync before reading.");
        }
    }
}
