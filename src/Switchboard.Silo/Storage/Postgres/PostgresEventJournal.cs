using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.GroupCommit;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>
/// The event journal on PostgreSQL: a silo-wide batching writer (one transaction per batch) on its own connection,
/// reads on Npgsql's pool. Several silos append to the same table, so there is no feed: readers poll by position.
/// Sequence conflicts (another silo's activation wrote the stream) throw <see cref="JournalConflictException"/>; a
/// database that cannot be reached throws <see cref="JournalUnavailableException"/> after bounded attempts.
/// </summary>
internal sealed class PostgresEventJournal : IEventJournal, IAsyncDisposable
{
    public const string StoreName = "postgres-journal";

    private readonly PostgresConnection _connection;
    private readonly PostgresStoreOptions _options;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitter _committer;
    private int _started;
    private int _disposed;

    public PostgresEventJournal(PostgresConnection connection, PostgresStoreOptions options, ILogger<PostgresEventJournal> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.JournalAttempts, 1);
        _connection = connection;
        _options = options;
        _logger = logger;
        // The append statement runs once per append, hundreds of times a batch: prepared once per connection instead
        // of planned every time.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connection.ConnectionString) { MaxAutoPrepare = 16, AutoPrepareMinUsages = 2 }.ConnectionString);
        _committer = new GroupCommitter(StoreName, connection.Target,
            new PostgresJournalBatchExecutor(_dataSource, options, StoreName, logger), options.MaxBatchSize, Statistics, logger);
    }

    public JournalFeed? Feed => null;

    public JournalStatistics Statistics { get; } = new();

    /// <summary>Starts the writer; the schema was applied before (<see cref="PostgresSchema"/>).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _committer.Start();
            StoreLog.Ready(_logger, StoreName, _connection.Target);
        }
    }

    public Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        StoreRules.Validate(append);
        return _committer.EnqueueAsync(new JournalAppendOperation(append, cancellationToken));
    }

    public async Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT COALESCE(MAX(sequence), 0) FROM journal_records WHERE stream = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception error) when (PostgresConnection.IsUnreachable(error))
        {
            throw Unavailable($"reading the last sequence of journal stream '{stream}'", error);
        }
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreRules.Validate(query);
        await using var command = Query(query);
        NpgsqlDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (PostgresConnection.IsUnreachable(error))
        {
            throw Unavailable("reading the journal", error);
        }
        await using (reader.ConfigureAwait(false))
        {
            while (await ReadAsync(reader, cancellationToken).ConfigureAwait(false))
            {
                var timestamp = new DateTimeOffset(reader.GetFieldValue<DateTime>(4), TimeSpan.Zero);
                yield return new JournalRecord(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                    timestamp, reader.GetFieldValue<byte[]>(5));
            }
        }
    }

    private async Task<bool> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (PostgresConnection.IsUnreachable(error))
        {
            throw Unavailable("reading the journal", error);
        }
    }

    private NpgsqlCommand Query(JournalQuery query)
    {
        var sql = new StringBuilder("SELECT position, stream, sequence, type, timestamp, payload FROM journal_records WHERE position > $1");
        var command = _dataSource.CreateCommand();
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
        return command;
    }

    private JournalUnavailableException Unavailable(string what, Exception error) =>
        new($"Store '{StoreName}' at {_connection.Target}: {what} failed, the database cannot be reached: {error.Message}", error);

    /// <summary>Commits every append already queued, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _committer.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        if (_started != 0)
        {
            StoreLog.Stopped(_logger, StoreName);
        }
    }
}
