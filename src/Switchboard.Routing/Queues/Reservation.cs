namespace Switchboard.Routing.Queues;

/// <summary>A match: <paramref name="AgentId"/> is to be reserved for the call of <paramref name="Entry"/> (removed from its queue).</summary>
[GenerateSerializer, Immutable, Alias("sb.Reservation")]
public readonly record struct Reservation(WaitingCall Entry, string AgentId, DateTimeOffset At)
{
    public string CallId => Entry.CallId;

    public string QueueId => Entry.Call.QueueId;
}
