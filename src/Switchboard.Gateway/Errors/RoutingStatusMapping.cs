using Grpc.Core;
using Orleans;
using Switchboard.Routing;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;

namespace Switchboard.Gateway.Errors;

/// <summary>
/// The one place where routing's typed errors become gRPC statuses (docs/api.md, "Errors"). The routing
/// code says what went wrong with a stable <see cref="RoutingException.Code"/>; this table says what the
/// client should do about it. The message always goes along: it names the id, field or state to fix.
/// </summary>
internal static class RoutingStatusMapping
{
    // Exact codes first; then the conventions of the code's shape (unknown-*, duplicate-*, invalid-*...).
    private static readonly Dictionary<string, StatusCode> Codes = new(StringComparer.Ordinal)
    {
        ["queue-full"] = StatusCode.ResourceExhausted,
        ["queue-closed"] = StatusCode.FailedPrecondition,
        ["etag-mismatch"] = StatusCode.Aborted,
        ["stale-etag"] = StatusCode.Aborted,
        ["version-mismatch"] = StatusCode.Aborted,
        ["reused-external-call-id"] = StatusCode.AlreadyExists,
        ["duplicate-call"] = StatusCode.AlreadyExists,
        ["wrong-adapter"] = StatusCode.PermissionDenied,
        ["reason-required"] = StatusCode.InvalidArgument,
        ["disposition-required"] = StatusCode.InvalidArgument,
        ["system-reason"] = StatusCode.InvalidArgument,
        ["in-use"] = StatusCode.FailedPrecondition,
        ["invalid-configuration"] = StatusCode.InvalidArgument,
        ["agent-id-mismatch"] = StatusCode.InvalidArgument,
        ["replaced"] = StatusCode.Aborted,
    };

    /// <summary>The status for <paramref name="exception"/>, or null when it is not an error a caller can act on (a bug: INTERNAL/UNKNOWN).</summary>
    public static Status? Map(Exception exception) => exception switch
    {
        RpcException rpc => rpc.Status,
        AgentStateException e => new Status(StatusCode.FailedPrecondition, e.Message),
        CallStateException e => new Status(StatusCode.FailedPrecondition, e.Message),
        CenterConfigurationException e => new Status(StatusCode.InvalidArgument, e.Message),
        RoutingException e => new Status(ForCode(e.Code), e.Message),
        TimeoutException e => new Status(StatusCode.Unavailable, e.Message),
        ArgumentException e => new Status(StatusCode.InvalidArgument, e.Message),
        KeyNotFoundException e => new Status(StatusCode.NotFound, e.Message),
        _ => null,
    };

    /// <summary>The status code of a routing error code.</summary>
    public static StatusCode ForCode(string code)
    {
        if (Codes.TryGetValue(code, out var status))
        {
            return status;
        }
        if (code.StartsWith("unknown-", StringComparison.Ordinal) || code.EndsWith("-not-found", StringComparison.Ordinal) || code == "not-found")
        {
            return StatusCode.NotFound;
        }
        if (code.StartsWith("duplicate-", StringComparison.Ordinal) || code.StartsWith("already-exists", StringComparison.Ordinal))
        {
            return StatusCode.AlreadyExists;
        }
        if (code.StartsWith("invalid-", StringComparison.Ordinal) || code.StartsWith("bad-", StringComparison.Ordinal)
            || code.StartsWith("negative-", StringComparison.Ordinal) || code.EndsWith("-out-of-range", StringComparison.Ordinal))
        {
            return StatusCode.InvalidArgument;
        }
        if (code.EndsWith("-full", StringComparison.Ordinal))
        {
            return StatusCode.ResourceExhausted;
        }
        if (code.StartsWith("forbidden", StringComparison.Ordinal) || code.StartsWith("not-allowed", StringComparison.Ordinal))
        {
            return StatusCode.PermissionDenied;
        }
        // Everything else is a state that does not allow the request: not-on-call, no-pending-offer...
        return StatusCode.FailedPrecondition;
    }
}
