using System.Diagnostics.Metrics;
using Switchboard.Routing.Telemetry;

namespace Switchboard.Routing.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public void The_routing_instruments_carry_the_agreed_names_and_units()
    {
        var seen = new Dictionary<string, string?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == RoutingTelemetry.MeterName)
                {
                    lock (seen)
                    {
                        seen[instrument.Name] = instrument.Unit;
                    }
                }
            },
        };
        listener.Start();
        _ = RoutingTelemetry.RoutingDuration;

        Assert.Equal("s", seen["switchboard.routing.duration"]);
        Assert.Contains("switchboard.calls.offered", seen.Keys);
        Assert.Contains("switchboard.calls.answered", seen.Keys);
        Assert.Contains("switchboard.calls.abandoned", seen.Keys);
        Assert.Contains("switchboard.queue.depth", seen.Keys);
        Assert.Equal("Switchboard.Routing", RoutingTelemetry.ActivitySource.Name);
    }
}
