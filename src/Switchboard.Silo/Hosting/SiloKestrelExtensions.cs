using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Gateway.Hosting;
using Switchboard.Grpc.Server;

namespace Switchboard.Silo.Hosting;

/// <summary>The silo's two endpoints: gRPC (h2c, HTTP/2 only) and plain HTTP (health, metrics, the wallboard page).</summary>
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
        kestrel.ConfigureForGrpc().ListenGrpc(address, options.GrpcPort);
        kestrel.Listen(address, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
    }
}
