namespace Switchboard.Routing.Calls;

/// <summary>The call reached its queue's maximum wait; <paramref name="Action"/> says what was done with it.</summary>
[GenerateSerializer, Immutable, Alias("sb.CallTimedOut")]
public sealed record CallTimedOut(string CallId, string QueueId, DateTimeOffset At, MaxWaitAction Action, TimeSpan Wait)
    : CallEvent(CallId, QueueId, At);
