using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// The disk's own floor under the SQLite store, measured in the same run as the grains: at a step's rate, each due
/// tick runs two one-row INSERT transactions in a row (the offer's two serial commits: the agent's reservation, then
/// the call's record of it) with plain Microsoft.Data.Sqlite, WAL and <c>synchronous = FULL</c> as the store runs
/// them, on a file of its own in the same folder, with no checkpoint during the run. Latency is from the due tick
/// (open loop), so a commit that stalls delays the ticks behind it as it would delay calls. No routing, no actors, no
/// group commit: what is left of the grains' tail below this one is the disk's.
/// </summary>
internal static class RawCommitIdeal
{
    public static RawCommitResult Run(string folder, int rate, double seconds)
    {
        var path = Path.Combine(folder, "raw-commits.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            // No checkpoints during the run (the store runs them beside the writer): every commit is a WAL append
            // and its fsync, nothing else.
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; "
                + "CREATE TABLE IF NOT EXISTS journal (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, payload BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO journal (stream, payload) VALUES ($stream, $payload)";
        var stream = insert.Parameters.Add("$stream", SqliteType.Text);
        insert.Parameters.AddWithValue("$payload", new byte[300]);
        var latencies = new LatencySample();
        var total = Math.Max(1, (int)Math.Round(rate * seconds));
        var period = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * period);
            while (Stopwatch.GetTimestamp() < due)
            {
                OpenLoopGenerator.SleepUntil(due);
            }

            for (var commit = 0; commit < 2; commit++)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                stream.Value = string.Create(CultureInfo.InvariantCulture, $"call/{i}/{commit}");
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            latencies.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
        }

        return new RawCommitResult(rate, total, latencies.Percentile(50), latencies.Percentile(99), latencies.Percentile(100), latencies.CountOver(5));
    }
}

/// <summary>Two serial one-row commits per tick at <paramref name="Rate"/>: latency from the due tick, in milliseconds.</summary>
internal sealed record RawCommitResult(int Rate, int Ticks, double P50Ms, double P99Ms, double MaxMs, int Over5Ms)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ideal durable (raw SQLite, two one-row INSERT+COMMIT in a row, WAL, synchronous=FULL, same disk): {Rate}/s for {Ticks} ticks, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, max {MaxMs:0.0} ms, {Over5Ms} over 5 ms");
}
