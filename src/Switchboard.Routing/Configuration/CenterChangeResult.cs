namespace Switchboard.Routing.Configuration;

/// <summary>
/// The outcome of an accepted change: the configuration's new version, for a remove whether the entity existed, and the
/// version that last changed the entity named (its etag: the configuration's new version when the change changed it,
/// the one before when the change left it as it was).
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CenterChangeResult")]
public sealed record CenterChangeResult(long Version, bool Removed = false, long? EntityVersion = null);
