namespace Switchboard.Routing.Calls;

/// <summary>
/// A call id was offered again with a different caller, queue or adapter than the call that holds it
/// (code <c>duplicate-call</c>; the gateway maps it to ALREADY_EXISTS). The existing call is unchanged.
/// An identical retry is not an error: it returns the call with <see cref="OfferCallResult.Duplicate"/> set.
/// </summary>
[GenerateSerializer, Alias("sb.DuplicateCallException")]
public sealed class DuplicateCallException : RoutingException
{
    public DuplicateCallException(string callId, string message)
        : base("duplicate-call", message)
    {
        CallId = callId;
    }

    [Id(0)]
    public string CallId { get; }
}
