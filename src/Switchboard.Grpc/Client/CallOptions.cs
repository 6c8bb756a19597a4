namespace Switchboard.Grpc.Client;

/// <summary>Per-call options: request metadata, a deadline and a cancellation token.</summary>
public readonly struct CallOptions
{
    /// <summary>Creates call options.</summary>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>Request metadata sent as HTTP/2 headers.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>When the call must be done (UTC), sent as <c>grpc-timeout</c>; past it the call fails with DEADLINE_EXCEEDED.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Cancels the call (RST_STREAM CANCEL); it then fails with CANCELLED.</summary>
    public CancellationToken CancellationToken { get; init; }
}
