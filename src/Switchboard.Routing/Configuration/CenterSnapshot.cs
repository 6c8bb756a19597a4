namespace Switchboard.Routing.Configuration;

/// <summary>The running center configuration and its version (it grows with every accepted change; send it back as the expected version to refuse lost updates).</summary>
public sealed record CenterSnapshot(long Version, CenterConfiguration Configuration);
