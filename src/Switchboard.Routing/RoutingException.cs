namespace Switchboard.Routing;

/// <summary>
/// A routing operation was refused. <see cref="Code"/> is stable and machine-readable
/// (the gateway maps it to a gRPC status); the message names what a user needs to fix it.
/// The object the operation was called on is left exactly as it was.
/// </summary>
[GenerateSerializer, Alias("sb.RoutingException")]
public class RoutingException : Exception
{
    public RoutingException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public RoutingException(string code, string message, Exception? inner)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>A stable error code, for example <c>no-pending-offer</c>.</summary>
    [Id(0)]
    public string Code { get; }
}
