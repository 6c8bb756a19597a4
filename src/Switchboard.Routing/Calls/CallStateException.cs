namespace Switchboard.Routing.Calls;

/// <summary>A call operation that the call's current state does not allow; the call is unchanged.</summary>
[GenerateSerializer, Alias("sb.CallStateException")]
public sealed class CallStateException : RoutingException
{
    public CallStateException(string code, string callId, CallState state, string action, string message)
        : base(code, message)
    {
        CallId = callId;
        State = state;
        Action = action;
    }

    [Id(0)]
    public string CallId { get; }

    [Id(1)]
    public CallState State { get; }

    [Id(2)]
    public string Action { get; }
}
