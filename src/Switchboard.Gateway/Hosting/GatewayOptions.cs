using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Hosting;

/// <summary>The gateway's settings, bound from <c>Switchboard:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Gateway";

    /// <summary>Port of the gRPC endpoint (cleartext HTTP/2). Default 5000; <c>--grpc-port</c>.</summary>
    public int GrpcPort { get; set; } = 5000;

    /// <summary>Port of the plain HTTP endpoint (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, gRPC-Web). Default 8080; <c>--http-port</c>.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>The address both endpoints listen on. Default <c>0.0.0.0</c> (every interface).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>How long a graceful stop waits for open calls to end after streams were told to go (UNAVAILABLE). Default 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the drain, how long the server keeps its connections open before closing them, when streams were open:
    /// a client whose request stream is still open (an adapter's Connect) reads its UNAVAILABLE status first, instead of
    /// seeing the connection close under it. Default 250 ms.
    /// </summary>
    public TimeSpan DrainGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How many OfferCall requests this silo routes at once. One more is refused at once with RESOURCE_EXHAUSTED, so
    /// that offers arriving faster than the silo can route them are turned away (the adapter plays busy or offers the
    /// call elsewhere) instead of queueing in front of the grains until every call is late. Default 1,000: at what a
    /// 2-core silo routes at most (~2,000 calls/s) that is about half a second of waiting; in normal running a few
    /// dozen are in progress. At least 1.
    /// </summary>
    public int MaxOffersInProgress { get; set; } = 1000;

    /// <summary>The largest request message the gateway decodes; a bigger one gets RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message the gateway sends. Default 16 MiB (a long list of agents).</summary>
    public int MaxSendMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long an HTTP/2 connection may be idle before the server pings it. Default 60 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the server waits for a ping's answer before it closes the connection. Default 30 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The API keys accepted. None configured: a development admin key is made and printed at start-up.</summary>
    public List<ApiKeyDefinition> ApiKeys { get; set; } = [];

    /// <summary>When true (the default), a development admin key is made and printed when no key is configured.</summary>
    public bool DevelopmentKeyWhenNoneConfigured { get; set; } = true;
}
