namespace Switchboard.Grpc;

/// <summary>
/// A call that ended with a non-OK <see cref="Status"/>. Clients receive it for failed calls;
/// server handlers throw it to fail a call with a precise status instead of UNKNOWN.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception carrying <paramref name="status"/> and no trailers.</summary>
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    /// <summary>Creates an exception carrying <paramref name="status"/> and the given trailers.</summary>
    public RpcException(Status status, Metadata trailers)
        : base($"Status(StatusCode=\"{status.StatusCode}\", Detail=\"{status.Detail}\")")
    {
        Status = status;
        Trailers = trailers;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>Shortcut for <c>Status.StatusCode</c>.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailing metadata: received from the server (client side) or to send (server side).</summary>
    public Metadata Trailers { get; }
}
