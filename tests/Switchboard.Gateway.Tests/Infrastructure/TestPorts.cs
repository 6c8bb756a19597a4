using System.Net;
using System.Net.Sockets;

namespace Switchboard.Gateway.Tests.Infrastructure;

internal static class TestPorts
{
    /// <summary>A port free on 127.0.0.1 right now (the OS hands out a fresh one each time).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
