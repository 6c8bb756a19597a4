using System.Globalization;

namespace Switchboard.Grpc.Framing;

/// <summary>The <c>grpc-timeout</c> header: 1 to 8 ASCII digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Parses a header value; an invalid value yields false and is ignored, as the spec asks.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length is < 2 or > 9)
        {
            return false;
        }

        long amount = 0;
        foreach (var c in value[..^1])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * 10; break;
            case 'n': ticks = amount / 100; break;
            default: return false;
        }

        timeout = TimeSpan.FromTicks(Math.Max(ticks, 0));
        return true;
    }

    /// <summary>Formats a positive timeout with the finest unit that fits in 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 1);
        var micros = (ticks + 9) / 10;
        if (micros <= MaxValue)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        var millis = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        if (millis <= MaxValue)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        if (seconds <= MaxValue)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var hours = Math.Min((ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour, MaxValue);
        return hours.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
