using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Benchmarks.Storage;

/// <summary>
/// State writes per second on SQLite (WAL, synchronous=FULL): 1,000 concurrent writers through the
/// store's group commit, beside the ideal, the same 1,000 rows upserted in one transaction with plain ADO.NET.
/// </summary>
[Config(typeof(StoreBenchmarkConfig))]
public class SqliteStoreWriteBenchmarks
{
    private readonly StateRows _rows = new();
    private string _folder = "";
    private SqliteGrainStore _store = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _upsert = null!;

    // BenchmarkDotNet's in-process toolchain does not await set-up and clean-up tasks: block on them here.
    [GlobalSetup]
    public void SetUp() => SetUpAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void CleanUp() => CleanUpAsync().GetAwaiter().GetResult();

    private async Task SetUpAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"switchboard-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        _store = new SqliteGrainStore("bench", new SqliteStoreOptions { DataSource = Path.Combine(_folder, "store.db") });
        await _store.InitializeAsync(CancellationToken.None);

        _raw = new SqliteConnection($"Data Source={Path.Combine(_folder, "raw.db")}");
        await _raw.OpenAsync();
        await using (var setup = _raw.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS grain_state (state_name TEXT NOT NULL, grain_type TEXT NOT NULL, grain_key TEXT NOT NULL,
                    data BLOB, version INTEGER NOT NULL, partition INTEGER NOT NULL, epoch INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (state_name, grain_type, grain_key)) WITHOUT ROWID;
                """;
            await setup.ExecuteNonQueryAsync();
        }
        _upsert = _raw.CreateCommand();
        _upsert.CommandText = """
            INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at)
            VALUES ($state, $type, $key, $data, 1, $partition, 1, $now)
            ON CONFLICT (state_name, grain_type, grain_key) DO UPDATE SET data = excluded.data, version = version + 1, updated_at = excluded.updated_at
            """;
        foreach (var name in new[] { "$state", "$type", "$key", "$data", "$partition", "$now" })
        {
            _upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
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
    public void RawBatchedUpsert()
    {
        for (var round = 0; round < StateRows.Rounds; round++)
        {
            UpsertAll();
        }
    }

    private void UpsertAll()
    {
        using var transaction = _raw.BeginTransaction();
        _upsert.Transaction = transaction;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        for (var i = 0; i < StateRows.Count; i++)
        {
            var key = _rows.Keys[i];
            _upsert.Parameters[0].Value = key.StateName;
            _upsert.Parameters[1].Value = key.GrainId.Type;
            _upsert.Parameters[2].Value = key.GrainId.Key;
            _upsert.Parameters[3].Value = _rows.Data[i];
            _upsert.Parameters[4].Value = _rows.Partitions[i];
            _upsert.Parameters[5].Value = now;
            _upsert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private async Task CleanUpAsync()
    {
        Console.WriteLine($"// store '{_store.Name}': {_store.Statistics.Writes} writes in {_store.Statistics.Transactions} transactions, " +
            $"{(double)_store.Statistics.Writes / Math.Max(1, _store.Statistics.Transactions):F0} writes per transaction");
        await _store.DisposeAsync();
        await _upsert.DisposeAsync();
        SqliteConnection.ClearPool(_raw);
        await _raw.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
