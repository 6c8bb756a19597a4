namespace Switchboard.Silo.Hosting;

/// <summary>
/// The Orleans silo this process runs, bound from <c>Switchboard:Silo</c>. Defaults are written here; the ports and the
/// cluster id also have command-line flags (<c>--silo-port</c>, <c>--gateway-port</c>, <c>--cluster-id</c>).
/// </summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Silo";

    /// <summary>Port of silo-to-silo traffic. Default 11111 (Orleans' own default); <c>--silo-port</c>.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port of Orleans' client gateway (external Orleans clients). Default 30000; <c>--gateway-port</c>.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster this silo joins: every silo with the same id on the same database forms one cluster. Default <c>switchboard</c>; <c>--cluster-id</c>.</summary>
    public string ClusterId { get; set; } = "switchboard";

    /// <summary>The service id (what grain state is keyed by, across deployments of the same cluster). Default <c>switchboard</c>.</summary>
    public string ServiceId { get; set; } = "switchboard";

    /// <summary>
    /// The address other silos reach this one at, in a cluster (a container's pod IP). Default: loopback on a single
    /// node, else this host's first IPv4 address; <c>--advertised-address</c>.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Serve the Orleans Dashboard at <c>/dashboard</c> on the HTTP port. Default false; <c>--dashboard</c>.</summary>
    public bool Dashboard { get; set; }

    /// <summary>How long a grain call waits for its answer before it fails with a TimeoutException. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an activation may stay idle before it is collected. Default 15 min.</summary>
    public TimeSpan DefaultCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadline of an activation's OnActivateAsync. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of an activation's OnDeactivateAsync. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
