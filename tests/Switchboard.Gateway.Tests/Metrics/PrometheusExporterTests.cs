using System.Diagnostics.Metrics;
using Switchboard.Gateway.Metrics;

namespace Switchboard.Gateway.Tests.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void A_measurement_with_two_text_tags_builds_no_label_text_once_its_series_exists()
    {
        var meterName = $"Switchboard.Test.{Guid.NewGuid():N}";
        using var exporter = new PrometheusExporter(m => m.Name == meterName);
        using var meter = new Meter(meterName);
        var latency = meter.CreateHistogram<double>("switchboard.routing.duration", "s");
        var queue = new KeyValuePair<string, object?>("switchboard.queue", "billing");
        var trigger = new KeyValuePair<string, object?>("switchboard.routing.trigger", "offer");
        for (var i = 0; i < 100; i++)
        {
            latency.Record(0.001, trigger, queue); // the series and its label text exist; the path is compiled
        }

        // Building the label text cost ~550 bytes per measurement; a few bytes on average may be the runtime's own
        // (a one-off allocation on the way lands in one of the measured calls).
        const int Measured = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Measured; i++)
        {
            latency.Record(0.002, queue, trigger);
        }
        var perMeasurement = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;

        var text = exporter.Scrape();
        Assert.True(perMeasurement < 16, $"a two-tag measurement allocated {perMeasurement:F1} bytes on average");
        // One series, labels sorted by key whatever order the tags came in.
        Assert.Contains("switchboard_routing_duration_seconds_count{switchboard_queue=\"billing\",switchboard_routing_trigger=\"offer\"} 1100\n", text);
    }

    [Fact]
    public void Counters_histograms_and_gauges_are_written_as_prometheus_text_with_their_labels()
    {
        var meterName = $"Switchboard.Test.{Guid.NewGuid():N}";
        using var exporter = new PrometheusExporter(m => m.Name == meterName);
        using var meter = new Meter(meterName);
        var offered = meter.CreateCounter<long>("switchboard.calls.offered", "{call}", "Calls offered.");
        var latency = meter.CreateHistogram<double>("switchboard.routing.duration", "s", "Offer to agent reserved.");
        var depth = meter.CreateUpDownCounter<long>("switchboard.queue.depth", "{call}");
        var waiting = 7;
        meter.CreateObservableGauge("switchboard.agents.available", () => waiting, "{agent}");

        offered.Add(2, new KeyValuePair<string, object?>("switchboard.queue", "billing"));
        offered.Add(3, new KeyValuePair<string, object?>("switchboard.queue", "billing"));
        offered.Add(1, new KeyValuePair<string, object?>("switchboard.queue", "vip \"gold\""));
        latency.Record(0.0004);
        latency.Record(0.003);
        latency.Record(0.003);
        latency.Record(120);
        depth.Add(5);
        depth.Add(-2);

        var text = exporter.Scrape();

        Assert.Contains("# TYPE switchboard_calls_offered_total counter", text);
        Assert.Contains("# HELP switchboard_calls_offered_total Calls offered.", text);
        Assert.Contains("switchboard_calls_offered_total{switchboard_queue=\"billing\"} 5\n", text);
        Assert.Contains("switchboard_calls_offered_total{switchboard_queue=\"vip \\\"gold\\\"\"} 1\n", text);
        Assert.Contains("# TYPE switchboard_routing_duration_seconds histogram", text);
        Assert.Contains("switchboard_routing_duration_seconds_bucket{le=\"0.0005\"} 1\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_bucket{le=\"0.0025\"} 1\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_bucket{le=\"0.005\"} 3\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_bucket{le=\"60\"} 3\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_bucket{le=\"+Inf\"} 4\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_count 4\n", text);
        Assert.Contains("switchboard_routing_duration_seconds_sum 120.0064", text);
        Assert.Contains("# TYPE switchboard_queue_depth gauge", text);
        Assert.Contains("switchboard_queue_depth 3\n", text);
        Assert.Contains("switchboard_agents_available 7\n", text);

        waiting = 4;
        Assert.Contains("switchboard_agents_available 4\n", exporter.Scrape());
    }

    [Fact]
    public void Meters_outside_the_filter_are_not_exported()
    {
        var meterName = $"Other.{Guid.NewGuid():N}";
        using var exporter = new PrometheusExporter(m => m.Name.StartsWith("Switchboard.Test.Only", StringComparison.Ordinal));
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("other.thing").Add(1);

        Assert.DoesNotContain("other_thing", exporter.Scrape());
    }
}
