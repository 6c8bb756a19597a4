namespace Switchboard.Routing.Configuration;

/// <summary>The outcome of an accepted change: the new version, and for a remove whether the entity existed.</summary>
[GenerateSerializer, Immutable, Alias("sb.CenterChangeResult")]
public sealed record CenterChangeResult(long Version, bool Removed = false);
