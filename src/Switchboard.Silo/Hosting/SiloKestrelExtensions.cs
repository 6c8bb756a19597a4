using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// The silo's two endpoints: gRPC (h2c, HTTP/2 only) and plain HTTP/1.1 (health, metrics, the dashboard when asked for, and
/// gRPC-Web for browsers).
/// </summary>
internal static class SiloKestrelExtensions
{
    internal static void ConfigureSiloEndpoints(this KestrelServerOptions kestrel, GatewayOptions options)
    {
        if (!IPAddress.TryParse(options.ListenAddress, out var address))
        {
            throw new ArgumentException($"Switchboard:Gateway:ListenAddress '{options.ListenAddress}' is not an IP address.");
        }
        if (options.GrpcPort is < 0 or > 65535 || options.HttpPort is < 0 or > 65535)
        {
            throw new ArgumentException($"Switchboard:Gateway:GrpcPort ({options.GrpcPort}) and HttpPort ({options.HttpPort}) must be port numbers (0-65535).");
        }
        if (options.GrpcPort != 0 && options.GrpcPort == options.HttpPort)
        {
            throw new ArgumentException($"Switchboard:Gateway:GrpcPort and HttpPort are both {options.GrpcPort}; they must differ.");
        }

        // Long-lived streams: no body size limit or minimum data rate; HTTP/2 keepalive pings find dead peers.
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        kestrel.AddServerHeader = false;
        // HTTP/2 only: a cleartext endpoint that also took HTTP/1.1 could not tell h2c apart and would fall back.
        kestrel.Listen(address, options.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        kestrel.Listen(address, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
    }
}
