namespace Switchboard.Routing.Calls;

/// <summary>
/// The states of a call (DOMAIN.md, "Call lifecycle"). <see cref="Rejected"/>, <see cref="NoAnswer"/> and
/// <see cref="Overflowed"/> are passed through: the call is back in <see cref="Queued"/> (in its own or the
/// overflow queue) at once, and the journal keeps the passage as an event.
/// Terminal states: Completed, Abandoned, TimedOut, Transferred.
/// </summary>
public enum CallState
{
    Offered,
    Queued,
    Reserved,
    Ringing,
    Answered,
    Completed,
    Abandoned,
    Overflowed,
    Rejected,
    NoAnswer,
    TimedOut,

    /// <summary>The caller keeps its place in the queue without holding the line (virtual hold).</summary>
    CallbackScheduled,

    Transferred,
}
