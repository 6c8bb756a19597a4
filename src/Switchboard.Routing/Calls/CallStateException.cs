namespace Switchboard.Routing.Calls;

/// <summary>A call operation that the call's current state does not allow; the call is unchanged.</summary>
public sealed class CallStateException : RoutingException
{
    public CallStateException(string code, string callId, CallState state, string action, string message)
        : base(code, message)
    {
        CallId = callId;
        State = state;
        Action = action;
    }

    public string CallId { get; }

    public CallState State { get; }

    public string Action { get; }
}
