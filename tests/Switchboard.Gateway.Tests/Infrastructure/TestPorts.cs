using System.Net;
using System.Net.Sockets;

namespace Switchboard.Gateway.Tests.Infrastructure;

internal static class TestPorts
{
    // Below Linux's ephemeral range (32768-60999): a port handed out here is never taken meanwhile by an outgoing
    // connection's local port, which an OS-chosen free port could be before the silo process binds it. Each port is
    // handed out once per test run; the start is random so that parallel runs rarely meet.
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(0, 6000);

    /// <summary>A port free on every address right now, not handed out before in this run.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref _next) - First) % (Last - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Any, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: the next one.
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }
}
