namespace Switchboard.Grpc.Framing;

/// <summary>Names and values of grpc/grpc doc/PROTOCOL-HTTP2.md shared by server and client.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TeHeader = "te";
    public const string TrailersValue = "trailers";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>What this implementation can decompress, advertised to peers.</summary>
    public const string SupportedEncodings = "identity,gzip";

    public const int HeaderSize = 5;

    /// <summary>The default receive limit of gRPC implementations: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for <c>application/grpc</c>, <c>application/grpc+proto</c> and other <c>application/grpc+x</c>
    /// or <c>;parameter</c> forms; the subtype is not negotiated because only protobuf is served.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    public static bool IsReservedHeader(string name) =>
        name.Length == 0
        || name[0] == ':'
        || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "te", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "host", StringComparison.OrdinalIgnoreCase);
}
