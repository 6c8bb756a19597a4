namespace Switchboard.Grpc;

/// <summary>The outcome of a call: a <see cref="StatusCode"/> and an optional human-readable detail.</summary>
/// <param name="StatusCode">The status code sent as <c>grpc-status</c>.</param>
/// <param name="Detail">The message sent as <c>grpc-message</c>; empty when there is none.</param>
public readonly record struct Status(StatusCode StatusCode, string Detail)
{
    /// <summary>The status of a successful call.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, string.Empty);

    /// <summary>The status of a call cancelled by the caller.</summary>
    public static readonly Status DefaultCancelled = new(StatusCode.Cancelled, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")";
}
