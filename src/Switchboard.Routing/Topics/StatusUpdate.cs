namespace Switchboard.Routing.Topics;

/// <summary>
/// A value on a routing topic (<see cref="RoutingTopics"/>): an <see cref="Agents.AgentStatus"/> under key
/// <c>agent/{id}</c>, a <see cref="Queues.QueueStatus"/> under <c>queue/{id}</c>, or <see cref="FiguresUpdate"/>
/// under <c>figures</c>. Each is the complete latest value of its key, never a delta; <see cref="Version"/>
/// grows with every change of that key, so a coalesced reader sees skipped values as a jump.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.StatusUpdate")]
public abstract record StatusUpdate(DateTimeOffset At, long Version);
