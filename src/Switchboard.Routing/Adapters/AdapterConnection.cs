namespace Switchboard.Routing.Adapters;

/// <summary>
/// The answer to an adapter's Connect: the unacknowledged instructions to re-send first, in sequence order,
/// and how long a RING_AGENT, BRIDGE or PLACE_CALLBACK may stay unacknowledged before it expires.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.AdapterConnection")]
public sealed record AdapterConnection(string AdapterId, IReadOnlyList<AdapterInstruction> Unacknowledged, TimeSpan AckTimeout);
