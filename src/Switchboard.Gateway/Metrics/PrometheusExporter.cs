using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Switchboard.Gateway.Metrics;

/// <summary>
/// Serves the instruments of the <c>Switchboard</c> meters as Prometheus text (exposition format 0.0.4):
/// counters as <c>_total</c>, up-down counters and gauges as gauges, histograms with cumulative buckets,
/// <c>_sum</c> and <c>_count</c>. A small <see cref="MeterListener"/>-based stand-in for the Prometheus
/// exporter package, which is not on the package source. Recording is lock-free per series.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The default histogram bounds for instruments in seconds.</summary>
    public static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>The default histogram bounds for instruments in milliseconds.</summary>
    public static readonly double[] MillisecondsBuckets = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    /// <summary>The default histogram bounds for other units.</summary>
    public static readonly double[] DefaultBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly Func<Meter, bool> _meterFilter;

    /// <summary>Listens to meters whose name is <c>Switchboard</c> or starts with <c>Switchboard.</c>.</summary>
    public PrometheusExporter()
        : this(meter => meter.Name == "Switchboard" || meter.Name.StartsWith("Switchboard.", StringComparison.Ordinal))
    {
    }

    /// <summary>Listens to the meters <paramref name="meterFilter"/> accepts.</summary>
    public PrometheusExporter(Func<Meter, bool> meterFilter)
    {
        _meterFilter = meterFilter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meterFilter(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument, _instruments.GetOrAdd(instrument, static i => new InstrumentSeries(i)));
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _);
        _listener.SetMeasurementEventCallback<long>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (i, value, tags, state) => ((InstrumentSeries)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>The Prometheus text content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Collects observable instruments and writes every series as Prometheus text.</summary>
    public string Scrape()
    {
        // Observable instruments report now; their values replace the previous scrape's.
        foreach (var series in _instruments.Values)
        {
            if (series.IsObservable)
            {
                series.ResetObservations();
            }
        }
        _listener.RecordObservableInstruments();

        var text = new StringBuilder(4096);
        foreach (var series in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            series.WriteTo(text);
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    internal static string MetricName(Instrument instrument)
    {
        var name = new StringBuilder(instrument.Name.Length + 16);
        foreach (var c in instrument.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        var unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.ToString().EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name.Append('_').Append(unit);
        }
        return name.ToString();
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "By" => "bytes",
        _ when unit.StartsWith('{') => "", // annotations such as {call} are not units
        _ => new string(unit.Where(char.IsAsciiLetterOrDigit).ToArray()),
    };

    internal static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>All series (tag sets) of one instrument.</summary>
    private sealed class InstrumentSeries
    {
        private readonly Instrument _instrument;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string Key, string Value), string> _singleTagLabels = new();
        private readonly ConcurrentDictionary<(string Key1, string Value1, string Key2, string Value2), string> _twoTagLabels = new();
        private readonly Kind _kind;
        private readonly double[] _bounds;

        public InstrumentSeries(Instrument instrument)
        {
            _instrument = instrument;
            Name = MetricName(instrument);
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            _kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? Kind.Counter
                : generic == typeof(Histogram<>) ? Kind.Histogram
                : Kind.Gauge; // UpDownCounter, ObservableUpDownCounter, ObservableGauge, Gauge
            IsObservable = instrument.IsObservable;
            IsCumulativeSum = generic == typeof(Counter<>) || generic == typeof(UpDownCounter<>);
            _bounds = instrument.Unit switch
            {
                "s" => SecondsBuckets,
                "ms" => MillisecondsBuckets,
                _ => DefaultBuckets,
            };
        }

        public string Name { get; }

        public bool IsObservable { get; }

        private bool IsCumulativeSum { get; }

        public void ResetObservations() => _series.Clear();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = tags.Length switch
            {
                0 => "",
                // The common cases on the hot path (a queue id, and the routing trigger beside it): no string built per
                // measurement. The tag values are configured ids and fixed words, so the caches stay as small as the series.
                1 when tags[0].Value is string text => _singleTagLabels.GetOrAdd((tags[0].Key, text), static pair => LabelsOf([new(pair.Key, pair.Value)])),
                2 when tags[0].Value is string first && tags[1].Value is string second => _twoTagLabels.GetOrAdd(
                    (tags[0].Key, first, tags[1].Key, second),
                    static key => LabelsOf([new(key.Key1, key.Value1), new(key.Key2, key.Value2)])),
                _ => LabelsOf(tags),
            };
            var series = _series.GetOrAdd(labels, static (key, self) => new Series(self._kind == Kind.Histogram ? self._bounds.Length + 1 : 0), this);
            switch (_kind)
            {
                case Kind.Histogram:
                    series.Observe(value, _bounds);
                    break;
                case Kind.Counter when IsObservable:
                case Kind.Gauge when !IsCumulativeSum:
                    series.Set(value);
                    break;
                default:
                    series.Add(value);
                    break;
            }
        }

        public void WriteTo(StringBuilder text)
        {
            var name = _kind == Kind.Counter ? Name + "_total" : Name;
            if (!string.IsNullOrEmpty(_instrument.Description))
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(_instrument.Description.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            }
            text.Append("# TYPE ").Append(name).Append(' ').Append(_kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" }).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (_kind == Kind.Histogram)
                {
                    var counts = series.SnapshotBuckets(out var sum, out var count);
                    long cumulative = 0;
                    for (var i = 0; i < _bounds.Length; i++)
                    {
                        cumulative += counts[i];
                        WriteSample(text, Name + "_bucket", labels, "le=\"" + Format(_bounds[i]) + "\"", cumulative);
                    }
                    WriteSample(text, Name + "_bucket", labels, "le=\"+Inf\"", count);
                    WriteSample(text, Name + "_sum", labels, null, sum);
                    WriteSample(text, Name + "_count", labels, null, count);
                }
                else
                {
                    WriteSample(text, name, labels, null, series.Value);
                }
            }
        }

        private static void WriteSample(StringBuilder text, string name, string labels, string? extra, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || extra is not null)
            {
                text.Append('{').Append(labels);
                if (extra is not null)
                {
                    if (labels.Length > 0)
                    {
                        text.Append(',');
                    }
                    text.Append(extra);
                }
                text.Append('}');
            }
            text.Append(' ').Append(Format(value)).Append('\n');
        }

        private static string LabelsOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var sorted = tags.ToArray();
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder();
            foreach (var tag in sorted)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }
                foreach (var c in tag.Key)
                {
                    text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
                }
                text.Append("=\"").Append(Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
            }
            return text.ToString();
        }

        private enum Kind
        {
            Counter,
            Gauge,
            Histogram,
        }
    }

    /// <summary>One time series: a sum or last value, or histogram buckets.</summary>
    private sealed class Series(int bucketCount)
    {
        private readonly long[] _buckets = new long[bucketCount];
        private double _value;
        private double _sum;
        private long _count;

        public double Value => Volatile.Read(ref _value);

        public void Add(double delta)
        {
            double current, next;
            do
            {
                current = Volatile.Read(ref _value);
                next = current + delta;
            }
            while (Interlocked.CompareExchange(ref _value, next, current) != current);
        }

        public void Set(double value) => Volatile.Write(ref _value, value);

        public void Observe(double value, double[] bounds)
        {
            var index = Array.BinarySearch(bounds, value);
            if (index < 0)
            {
                index = ~index; // first bound above the value
            }
            Interlocked.Increment(ref _buckets[index]);
            Interlocked.Increment(ref _count);
            double current, next;
            do
            {
                current = Volatile.Read(ref _sum);
                next = current + value;
            }
            while (Interlocked.CompareExchange(ref _sum, next, current) != current);
        }

        public long[] SnapshotBuckets(out double sum, out long count)
        {
            var copy = new long[_buckets.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = Interlocked.Read(ref _buckets[i]);
            }
            sum = Volatile.Read(ref _sum);
            // The count is the sum of the buckets read, so the +Inf bucket equals _count in the text.
            count = copy.Sum();
            return copy;
        }
    }
}
