using Grpc.Core;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Telemetry;

/// <summary>
/// The gateway's spans (<c>Switchboard.Gateway</c>): one server span per RPC of the routing hot path,
/// continuing the caller's W3C trace from its <c>traceparent</c>/<c>tracestate</c> metadata, so routing's
/// spans (<c>Switchboard.Routing</c>) appear under the adapter's own trace of the call.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The gateway's ActivitySource name.</summary>
    public const string ActivitySourceName = "Switchboard.Gateway";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>The gateway's meter (<c>Switchboard.Gateway</c>), served on <c>/metrics</c> with the others.</summary>
    internal static readonly Meter Meter = new(ActivitySourceName);

    /// <summary>Offers refused because the silo was routing as many as it takes at once.</summary>
    internal static readonly Counter<long> OffersRefused = Meter.CreateCounter<long>(
        "switchboard.gateway.offers_refused", unit: "{call}",
        description: "OfferCall requests refused with RESOURCE_EXHAUSTED: the silo was routing Switchboard:Gateway:MaxOffersInProgress offers already.");

    /// <summary>Offers being routed now: +1 when one is admitted, -1 when it is answered.</summary>
    internal static readonly UpDownCounter<long> OffersInProgress = Meter.CreateUpDownCounter<long>(
        "switchboard.gateway.offers_in_progress", unit: "{call}",
        description: "OfferCall requests being routed now (at most Switchboard:Gateway:MaxOffersInProgress per silo).");

    /// <summary>Starts a server span for <paramref name="context"/>'s call, parented on the caller's trace when it sent one.</summary>
    internal static Activity? StartServerSpan(ServerCallContext context, string name)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }
        var parent = ParentOf(context);
        var activity = ActivitySource.StartActivity(name, ActivityKind.Server, parent);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.method", context.Method);
        }
        return activity;
    }

    /// <summary>The caller's trace context from its metadata; default when absent or malformed.</summary>
    internal static ActivityContext ParentOf(ServerCallContext context)
    {
        var traceParent = context.RequestHeaders.GetValue(SwitchboardApi.Metadata.TraceParent);
        if (traceParent is null)
        {
            return default;
        }
        var traceState = context.RequestHeaders.GetValue(SwitchboardApi.Metadata.TraceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent) ? parent : default;
    }
}
