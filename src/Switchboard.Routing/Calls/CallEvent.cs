namespace Switchboard.Routing.Calls;

/// <summary>
/// An event in a call's history, appended to the call journal before it takes effect. Each record carries
/// what figures need so they can be computed from the journal alone: the queue at the time, the agent,
/// and durations measured when they ended.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CallEvent")]
public abstract record CallEvent(string CallId, string QueueId, DateTimeOffset At);
