using System.Collections.Immutable;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The running center configuration and its version (it grows with every accepted change), with the version at which
/// each entity last changed (<see cref="VersionOf"/>): send that back as the expected version of a change to that
/// entity to refuse lost updates without being refused for changes to other entities.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.CenterSnapshot")]
public sealed record CenterSnapshot(long Version, CenterConfiguration Configuration, ImmutableDictionary<string, long>? EntityVersions = null)
{
    /// <summary>The version at which <paramref name="entity"/> (a <see cref="CenterEntity"/> key) last changed; 0 when it does not exist.</summary>
    public long VersionOf(string entity) => EntityVersions?.GetValueOrDefault(entity) ?? 0;
}
