using System.Net;

namespace Switchboard.Grpc.Client;

/// <summary>How a client turns transport outcomes into gRPC status codes (PROTOCOL-HTTP2.md, http-grpc-status-mapping.md).</summary>
internal static class ClientStatusMapping
{
    /// <summary>The code for a response without <c>grpc-status</c>, from its HTTP status.</summary>
    public static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        431 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };

    /// <summary>The code for a stream the server reset, from its HTTP/2 error code.</summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x8 => StatusCode.Cancelled,
        0x7 => StatusCode.Unavailable,
        0xB => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
