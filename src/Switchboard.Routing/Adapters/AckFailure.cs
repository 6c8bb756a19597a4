namespace Switchboard.Routing.Adapters;

/// <summary>Why an adapter could not carry out an instruction.</summary>
public enum AckFailure
{
    None = 0,

    /// <summary>The agent's endpoint could not be reached: treated as a no-answer.</summary>
    EndpointUnreachable = 1,

    /// <summary>The call no longer exists at the switch: the server ends it (abandoned if not answered).</summary>
    CallGone = 2,

    /// <summary>The adapter does not support the action: the server falls back (voicemail: the call keeps waiting).</summary>
    Unsupported = 3,

    /// <summary>The instruction reached the adapter after it expired.</summary>
    Expired = 4,
}
