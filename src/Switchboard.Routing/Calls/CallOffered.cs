namespace Switchboard.Routing.Calls;

/// <summary>A telephony adapter offered a call to a queue; <paramref name="Call"/> is the full call record.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallOffered")]
public sealed record CallOffered(string CallId, string QueueId, DateTimeOffset At, Call Call)
    : CallEvent(CallId, QueueId, At);
