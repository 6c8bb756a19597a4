using Grpc.Core;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Telemetry;

public sealed class TraceAndMetricsTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_offer_continues_the_adapters_trace_into_the_routing_spans()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        // OpenTelemetry's SDK with its in-memory exporter, listening to the sources the silo exports over OTLP.
        var exported = new LockedCollection<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Switchboard.Gateway", "Switchboard.Routing", "Microsoft.Orleans.Application")
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(exported)
            .Build()!;

        var options = With(AdapterKey);
        options.Headers!.Add("traceparent", $"00-{traceId}-{parentId}-01");
        await _silo.Channel.AsyncUnaryCall(Unary<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall"),
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "traced", CallerNumber = "+1", QueueId = "billing" }, options).ResponseAsync;

        // The provider hears every test's spans in this process, so only this trace's count; and the server may stop
        // its span a moment after the client has the response.
        static bool IsOffer(Activity s) => s.Source.Name == "Switchboard.Gateway" && s.OperationName == "OfferCall";
        List<Activity> Trace()
        {
            tracing.ForceFlush();
            return exported.ToList().Where(s => s.TraceId == traceId).ToList();
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Trace().Any(IsOffer) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var spans = Trace();
        var offer = Assert.Single(spans, IsOffer);
        Assert.Equal(parentId, offer.ParentSpanId);
        Assert.Equal(ActivityKind.Server, offer.Kind);
        // The chain: the gateway's server span, the grain calls it made (Orleans' client and server spans), and the
        // routing spans inside the grains, all in the adapter's trace.
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.Orleans.Application" && s.TraceId == traceId && s.Kind == ActivityKind.Client);
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.Orleans.Application" && s.TraceId == traceId && s.Kind == ActivityKind.Server);
        Assert.Contains(spans, s => s.Source.Name == "Switchboard.Routing" && s.OperationName == "switchboard.call.offer" && s.TraceId == traceId);
    }

    [Fact]
    public void Requests_are_not_logged_by_the_hosting_layer_so_it_starts_no_activity_or_scope_per_call()
    {
        // ASP.NET Core starts an Activity and a logging scope for every request while its hosting logger is enabled
        // at any level (or something listens to its own source): that logger must be off in the silo.
        var loggers = _silo.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task Metrics_show_the_calls_offered_in_prometheus_text()
    {
        await _silo.CallAsync<OfferCallRequest, OfferCallResponse>("TelephonyAdapter", "OfferCall",
            new OfferCallRequest { AdapterId = "fs-1", ExternalCallId = "counted", CallerNumber = "+1", QueueId = "support" }, AdapterKey);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_silo.HttpPort}") };
        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE switchboard_calls_offered_total counter", text);
        Assert.Matches(@"switchboard_calls_offered_total\{[^}]*switchboard_queue=""support""[^}]*\} [1-9]", text);
    }
}

/// <summary>A collection the exporter adds to from the threads that end spans while the test reads it.</summary>
internal sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_items)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    /// <summary>A copy, taken under the lock.</summary>
    public List<T> ToList()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
