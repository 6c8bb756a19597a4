using System.Buffers;
using System.Text;

namespace Switchboard.Grpc.Framing;

/// <summary>
/// The <c>grpc-message</c> encoding: UTF-8 bytes, with 0x20-0x7E (except '%') as they are and every
/// other byte as %XX. Decoding never fails: a malformed escape is kept as it was received.
/// </summary>
internal static class PercentEncoding
{
    public static string Encode(string value)
    {
        var needed = false;
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '%')
            {
                needed = true;
                break;
            }
        }

        if (!needed)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    public static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(value.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c == '%' && i + 2 < value.Length && TryHex(value[i + 1], out var high) && TryHex(value[i + 2], out var low))
                {
                    bytes[count++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else
                {
                    // Not a valid escape, or a non-ASCII char a lenient peer sent raw: keep it as received.
                    if (c > 0x7F)
                    {
                        return value;
                    }

                    bytes[count++] = (byte)c;
                }
            }

            return Encoding.UTF8.GetString(bytes, 0, count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
