using System.Net;
using System.Net.Sockets;

namespace Switchboard.Testing;

/// <summary>
/// Ports for servers the tests start in other processes (silos, PostgreSQL). They are picked below Linux's ephemeral
/// range (32768-60999), so no outgoing connection takes one between this check and the process binding it, as an
/// OS-chosen free port could be; each is handed out once per process, from a random start so parallel runs rarely meet.
/// Linked into every test project that needs it.
/// </summary>
internal static class FreePorts
{
    private const int First = 15000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(0, Last - First);

    /// <summary>A port free on every address right now, not handed out before in this process.</summary>
    public static int Next()
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
