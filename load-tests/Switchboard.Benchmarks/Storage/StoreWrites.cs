using Orleans;
using Orleans.Runtime;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.LoadTests.Benchmarks;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.Postgres;
using Switchboard.Silo.Storage.Sqlite;
using Switchboard.Testing;

namespace Switchboard.Benchmarks.Storage;

/// <summary>
/// <c>store-writes [--seconds N] [--writers N] [--data-dir DIR] [--skip-postgres]</c>: state writes of many grains at once
/// through Orleans' AdoNet provider on SQLite and through our group-committing SqliteGrainStorage, against raw SQLite
/// one-row commits from one thread and raw batched INSERTs (100 rows a transaction), all in one run on one file system;
/// then PostgreSQL journal appends through the batching writer against one-row commits. Prints markdown tables with each
/// figure's ratio to its reference (docs/benchmarks.md, "Storage on Orleans").
/// </summary>
internal static class StoreWrites
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var writers = Option(args, "--writers", 64);
        var root = DataFolder.Root(Value(args, "--data-dir"));
        var payload = new string('p', 200);
        Console.WriteLine($"store-writes: {writers} writers, {seconds} s a step, {Environment.ProcessorCount} cores, data in {DataFolder.Describe(root)}, {DateTime.UtcNow:u}");

        var raw = await RawSqliteOneRowCommitsAsync(Folder(root), seconds, payload);
        var batched = await RawSqliteBatchedInsertsAsync(Folder(root), seconds, payload);
        var adoNet = await GrainWritesAsync("(a) AdoNet provider on SQLite", SqliteStateProviders.AdoNet, Folder(root), seconds, writers, payload);
        var ours = await GrainWritesAsync("(b) our group-committing SqliteGrainStorage", SqliteStateProviders.GroupCommit, Folder(root), seconds, writers, payload);

        Console.WriteLine();
        Console.WriteLine($"| SQLite, {writers} grains writing at once | writes/s | ratio to (c) | p50 ms | p99 ms | pool lateness p99 ms | max ms | beats > 100 ms | max queued work items |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var step in new[] { adoNet, ours, raw, batched })
        {
            Console.WriteLine(step.Row(raw));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(b)/(a) = {ours.PerSecond / adoNet.PerSecond:0.0}; (b)/(d) = {ours.PerSecond / batched.PerSecond:0.000}"));

        if (!args.Contains("--skip-postgres"))
        {
            await using var server = await PostgresServer.StartAsync(["max_connections=300"]);
            var journal = await JournalAppendsAsync(server.ConnectionString(await server.CreateDatabaseAsync()), seconds, writers, payload);
            var oneRow = await PostgresOneRowCommitsAsync(server.ConnectionString(await server.CreateDatabaseAsync()), seconds, writers, payload);
            Console.WriteLine();
            Console.WriteLine($"| PostgreSQL, {writers} appenders at once | appends/s | ratio to one-row commits | p50 ms | p99 ms | pool lateness p99 ms | max ms | beats > 100 ms | max queued work items |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            Console.WriteLine(journal.Row(oneRow));
            Console.WriteLine(oneRow.Row(oneRow));
        }
        return 0;
    }

    private static async Task<StepResult> GrainWritesAsync(string name, string state, string folder, int seconds, int writers, string payload)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next());
            silo.AddSwitchboardSqliteStore(o =>
            {
                o.DataDirectory = folder;
                o.SqliteState = state;
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        // Every grain activated and its row created first: the step measures updates of existing rows.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => grains.GetGrain<IWriterGrain>(i).WriteAsync(payload)));
        var result = await MeasureAsync(name, seconds, writers, async (writer, latencies, stop) =>
        {
            var grain = grains.GetGrain<IWriterGrain>(writer);
            var writes = 0L;
            while (!stop.IsCancellationRequested)
            {
                latencies.Add(await grain.WriteAsync(payload));
                writes++;
            }
            return writes;
        });
        await host.StopAsync();
        return result;
    }

    private static Task<StepResult> RawSqliteOneRowCommitsAsync(string folder, int seconds, string payload) =>
        MeasureAsync("(c) raw SQLite, one-row commits from one thread", seconds, 1, (_, latencies, stop) => Task.Run(() =>
        {
            using var connection = OpenRaw(folder);
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO rows (k, v) VALUES ($k, $v) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
            var key = command.Parameters.Add("$k", SqliteType.Integer);
            var value = command.Parameters.Add("$v", SqliteType.Text);
            command.Prepare();
            var writes = 0L;
            while (!stop.IsCancellationRequested)
            {
                key.Value = writes % 64;
                // A new value every time: SQLite writes nothing (and syncs nothing) for an update that changes no byte.
                value.Value = payload + writes.ToString(CultureInfo.InvariantCulture);
                var started = Stopwatch.GetTimestamp();
                command.ExecuteNonQuery();
                latencies.Add(Stopwatch.GetTimestamp() - started);
                writes++;
            }
            return writes;
        }));

    private static Task<StepResult> RawSqliteBatchedInsertsAsync(string folder, int seconds, string payload) =>
        MeasureAsync("(d) raw SQLite, batched INSERTs (100 rows a transaction)", seconds, 1, (_, latencies, stop) => Task.Run(() =>
        {
            using var connection = OpenRaw(folder);
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO rows (k, v) VALUES ($k, $v)";
            var key = command.Parameters.Add("$k", SqliteType.Integer);
            command.Parameters.AddWithValue("$v", payload);
            var rows = 0L;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                using var transaction = connection.BeginTransaction();
                command.Transaction = transaction;
                for (var i = 0; i < 100; i++)
                {
                    key.Value = 1_000_000 + rows++;
                    command.ExecuteNonQuery();
                }
                transaction.Commit();
                // Each row's latency is its transaction's.
                var elapsed = Stopwatch.GetTimestamp() - started;
                for (var i = 0; i < 100; i++)
                {
                    latencies.Add(elapsed);
                }
            }
            return rows;
        }));

    private static SqliteConnection OpenRaw(string folder)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        // The same durability as the store: WAL, synced on every commit.
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS rows (k INTEGER PRIMARY KEY, v TEXT NOT NULL);";
        command.ExecuteNonQuery();
        return connection;
    }

    private static async Task<StepResult> JournalAppendsAsync(string connectionString, int seconds, int writers, string payload)
    {
        var options = new PostgresStoreOptions { ConnectionString = connectionString };
        var connection = new PostgresConnection(options);
        await PostgresSchema.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);
        await using var journal = new PostgresEventJournal(connection, options, NullLogger<PostgresEventJournal>.Instance);
        journal.Start();
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var result = await MeasureAsync("PostgresEventJournal, batched (one transaction a batch)", seconds, writers, async (writer, latencies, stop) =>
        {
            var sequence = 0L;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await journal.AppendAsync(new JournalAppend($"agent/a{writer}", ++sequence, [new JournalEntry("agent.state", DateTimeOffset.UtcNow, bytes)]));
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
            return sequence;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL journal: {journal.Statistics.Writes} appends in {journal.Statistics.Transactions} transactions ({(double)journal.Statistics.Writes / journal.Statistics.Transactions:0.0} a batch)"));
        return result;
    }

    private static async Task<StepResult> PostgresOneRowCommitsAsync(string connectionString, int seconds, int writers, string payload)
    {
        var connection = new PostgresConnection(new PostgresStoreOptions { ConnectionString = connectionString });
        await PostgresSchema.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        return await MeasureAsync("one-row commits (each writer on a pooled connection)", seconds, writers, async (writer, latencies, stop) =>
        {
            await using var session = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO journal_records (stream, sequence, type, timestamp, payload) VALUES ($1, $2, 'agent.state', now(), $3)", session);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"agent/a{writer}" });
            var sequenceParameter = new NpgsqlParameter<long>();
            command.Parameters.Add(sequenceParameter);
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = bytes });
            var sequence = 0L;
            while (!stop.IsCancellationRequested)
            {
                sequenceParameter.TypedValue = ++sequence;
                var started = Stopwatch.GetTimestamp();
                await command.ExecuteNonQueryAsync();
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
            return sequence;
        });
    }

    /// <summary>Runs <paramref name="writers"/> loops for <paramref name="seconds"/> with the pool heartbeat beside them.</summary>
    private static async Task<StepResult> MeasureAsync(string name, int seconds, int writers, Func<int, List<long>, CancellationToken, Task<long>> loop)
    {
        GC.Collect();
        using var heartbeat = new PoolHeartbeat();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var latencies = Enumerable.Range(0, writers).Select(_ => new List<long>(100_000)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => loop(w, latencies[w], stop.Token)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = StepResult.From(name, counts.Sum(), elapsed, [.. latencies.SelectMany(l => l)], heartbeat);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {result.PerSecond:N0}/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms, pool lateness max {result.Pool.MaxMs:0} ms"));
        return result;
    }

    private static string Folder(string root)
    {
        var folder = Path.Combine(root, $"store-writes-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback) =>
        Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
