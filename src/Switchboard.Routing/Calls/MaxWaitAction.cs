namespace Switchboard.Routing.Calls;

/// <summary>What happens to a call that waited a queue's maximum wait.</summary>
public enum MaxWaitAction
{
    /// <summary>No maximum: the call waits until answered or abandoned.</summary>
    None,

    /// <summary>Moved to the queue's overflow queue, keeping its original enqueue time.</summary>
    Overflow,

    /// <summary>Sent to voicemail: the call ends as TimedOut.</summary>
    Voicemail,

    /// <summary>Turned into a callback that keeps its place in the queue.</summary>
    Callback,
}
