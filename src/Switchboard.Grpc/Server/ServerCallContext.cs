using Microsoft.AspNetCore.Http;

namespace Switchboard.Grpc.Server;

/// <summary>
/// What a handler knows about its call, shaped like grpc-dotnet's context: request metadata, deadline,
/// cancellation, and the status and trailers to answer with. Abstract so service code can be unit-tested
/// with a hand-made context.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The <c>:authority</c> the client called.</summary>
    public abstract string Host { get; }

    /// <summary>The remote address, as <c>ipv4:1.2.3.4:5678</c> or <c>ipv6:[::1]:5678</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>When the call's <c>grpc-timeout</c> expires (UTC); <see cref="DateTime.MaxValue"/> when none was sent.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The request metadata (reserved <c>grpc-*</c>, pseudo and transport headers left out).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Cancelled when the client cancels (RST_STREAM), the connection drops or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailing metadata sent with the status at the end of the call.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>
    /// The status sent when the handler returns normally (OK by default). Throwing <see cref="RpcException"/>
    /// is the usual way to fail a call.
    /// </summary>
    public abstract Status Status { get; set; }

    /// <summary>Sends the response headers now, with <paramref name="responseHeaders"/>; at most once, before any message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>The ASP.NET Core context of the call, for the rare handler that needs the transport.</summary>
    public virtual HttpContext? GetHttpContext() => null;
}
