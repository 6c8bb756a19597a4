namespace Switchboard.Routing.Configuration;

/// <summary>What a center-defined code is for.</summary>
public enum ReasonCodeKind
{
    /// <summary>A reason for NotReady (break, lunch, training).</summary>
    NotReady,

    /// <summary>A call's outcome, given when the agent finishes its wrap-up (resolved, escalated, sale).</summary>
    Disposition,
}
