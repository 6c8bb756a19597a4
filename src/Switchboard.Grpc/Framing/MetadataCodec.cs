using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Switchboard.Grpc.Framing;

/// <summary>Converts <see cref="Metadata"/> to and from HTTP/2 header fields (<c>-bin</c> values as base64).</summary>
internal static class MetadataCodec
{
    public static string EncodeValue(Metadata.Entry entry) =>
        entry.IsBinary ? ToUnpaddedBase64(entry.ValueBytes) : entry.Value;

    /// <summary>Adds received header fields to <paramref name="metadata"/>, leaving out reserved ones.</summary>
    public static void AddFromHeaders(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            AddValues(metadata, header.Key, header.Value);
        }
    }

    public static void AddFromHeaders(Metadata metadata, HttpHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                AddValue(metadata, header.Key, value);
            }
        }
    }

    public static void WriteTo(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var entry in metadata)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                continue;
            }

            headers.Append(entry.Key, EncodeValue(entry));
        }
    }

    public static void WriteTo(Metadata metadata, HttpHeaders headers)
    {
        foreach (var entry in metadata)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                continue;
            }

            headers.TryAddWithoutValidation(entry.Key, EncodeValue(entry));
        }
    }

    private static void AddValues(Metadata metadata, string key, StringValues values)
    {
        foreach (var value in values)
        {
            if (value is not null)
            {
                AddValue(metadata, key, value);
            }
        }
    }

    private static void AddValue(Metadata metadata, string key, string value)
    {
        if (!Metadata.Entry.IsBinaryKey(key))
        {
            metadata.Add(key, value);
            return;
        }

        // Several binary values may arrive joined by ',' in one field.
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            metadata.Add(key, FromBase64Lenient(part));
        }
    }

    /// <summary>Decodes padded and unpadded base64; invalid input yields its raw ASCII rather than a failure.</summary>
    public static byte[] FromBase64Lenient(string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return System.Text.Encoding.ASCII.GetBytes(value);
        }
    }

    private static string ToUnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');
}
