using BenchmarkDotNet.Attributes;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Actors.Storage.Postgres;
using Switchboard.Testing;

namespace Switchboard.Benchmarks.Storage;

/// <summary>
/// State writes per second on PostgreSQL (a private server started like the tests', fsync on): 1,000
/// concurrent writers through the store's group commit, beside the ideal, the same 1,000 rows upserted
/// in one transaction as one <see cref="NpgsqlBatch"/> with plain ADO.NET.
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
public class PostgresStoreWriteBenchmarks
{
    private readonly StateRows _rows = new();
    private PostgresServer _server = null!;
    private PostgresGrainStore _store = null!;
    private NpgsqlConnection _raw = null!;

    // BenchmarkDotNet's in-process toolchain does not await set-up and clean-up tasks: block on them here.
    [GlobalSetup]
    public void SetUp() => SetUpAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void CleanUp() => CleanUpAsync().GetAwaiter().GetResult();

    private async Task SetUpAsync()
    {
        _server = await PostgresServer.StartAsync();
        var database = await _server.CreateDatabaseAsync("bench");
        _store = new PostgresGrainStore("bench", new PostgresStoreOptions { ConnectionString = _server.ConnectionString(database) });
        await _store.InitializeAsync(CancellationToken.None);

        _raw = new NpgsqlConnection(_server.ConnectionString(database));
        await _raw.OpenAsync();
        await using var setup = new NpgsqlCommand("""
            CREATE TABLE IF NOT EXISTS raw_state (state_name text NOT NULL, grain_type text NOT NULL, grain_key text NOT NULL,
                data bytea, version bigint NOT NULL, partition integer NOT NULL, epoch bigint NOT NULL, updated_at timestamptz NOT NULL,
                PRIMARY KEY (state_name, grain_type, grain_key))
            """, _raw);
        await setup.ExecuteNonQueryAsync();
    }

    [Benchmark(Description = "group commit, 1,000 concurrent writers", OperationsPerInvoke = StateRows.Count * StateRows.Rounds)]
    public async Task GroupCommit()
    {
        for (var round = 0; round < StateRows.Rounds; round++)
        {
            await _rows.WriteAllConcurrentlyAsync(_store);
        }
    }

    [Benchmark(Baseline = true, Description = "raw batched upsert, 1 transaction (ideal)", OperationsPerInvoke = StateRows.Count * StateRows.Rounds)]
    public async Task RawBatchedUpsert()
    {
        for (var round = 0; round < StateRows.Rounds; round++)
        {
            await UpsertAllAsync();
        }
    }

    private async Task UpsertAllAsync()
    {
        await using var transaction = await _raw.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(_raw, transaction);
        var now = DateTime.UtcNow;
        for (var i = 0; i < StateRows.Count; i++)
        {
            var key = _rows.Keys[i];
            var command = new NpgsqlBatchCommand("""
                INSERT INTO raw_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at)
                VALUES ($1, $2, $3, $4, 1, $5, 1, $6)
                ON CONFLICT (state_name, grain_type, grain_key) DO UPDATE SET data = EXCLUDED.data, version = raw_state.version + 1, updated_at = EXCLUDED.updated_at
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainId.Type });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainId.Key });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = _rows.Data[i] });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _rows.Partitions[i] });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = now });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private async Task CleanUpAsync()
    {
        Console.WriteLine($"// store '{_store.Name}': {_store.Statistics.Writes} writes in {_store.Statistics.Transactions} transactions, " +
            $"{(double)_store.Statistics.Writes / Math.Max(1, _store.Statistics.Transactions):F0} writes per transaction");
        await _store.DisposeAsync();
        await _raw.DisposeAsync();
        await _server.DisposeAsync();
    }
}
