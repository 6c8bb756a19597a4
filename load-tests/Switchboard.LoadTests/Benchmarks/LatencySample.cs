namespace Switchboard.LoadTests.Benchmarks;

/// <summary>Latencies of one step, in milliseconds; thread-safe to add, sorted once to read percentiles.</summary>
internal sealed class LatencySample
{
    private readonly List<double> _values = [];
    private readonly Lock _lock = new();
    private double[]? _sorted;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _values.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_lock)
        {
            _values.Add(milliseconds);
            _sorted = null;
        }
    }

    /// <summary>How many latencies are over <paramref name="milliseconds"/>.</summary>
    public int CountOver(double milliseconds)
    {
        lock (_lock)
        {
            return _values.Count(v => v > milliseconds);
        }
    }

    /// <summary>The <paramref name="p"/>-th percentile (0-100), nearest rank; NaN when empty.</summary>
    public double Percentile(double p)
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = _sorted ??= [.. _values.Order()];
        }

        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
