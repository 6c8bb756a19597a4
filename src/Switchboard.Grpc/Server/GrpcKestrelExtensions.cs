using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Switchboard.Grpc.Server;

/// <summary>Kestrel settings gRPC needs: h2c endpoints, no body limits, HTTP/2 keepalive pings.</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Makes Kestrel fit for long-lived gRPC streams: no request body size limit, no minimum data rate,
    /// and HTTP/2 keepalive pings every 60 s (30 s timeout).
    /// </summary>
    public static KestrelServerOptions ConfigureForGrpc(this KestrelServerOptions options)
    {
        options.Limits.MaxRequestBodySize = null;
        options.Limits.MinRequestBodyDataRate = null;
        options.Limits.MinResponseDataRate = null;
        options.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
        options.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(30);
        options.AddServerHeader = false;
        return options;
    }

    /// <summary>
    /// Listens for cleartext HTTP/2 (h2c, prior knowledge) on <paramref name="address"/>:<paramref name="port"/>.
    /// The endpoint speaks HTTP/2 only: cleartext HTTP/1.1-and-2 endpoints cannot tell h2c apart and fall back to HTTP/1.1.
    /// </summary>
    public static KestrelServerOptions ListenGrpc(this KestrelServerOptions options, IPAddress address, int port)
    {
        options.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2);
        return options;
    }
}
