using Microsoft.Extensions.Options;
using Switchboard.Actors.Hosting;

namespace Switchboard.Actors.Placement;

/// <summary>Single-silo placement: every grain is local; every partition is at epoch 1.</summary>
internal sealed class LocalPlacementDirector(IOptions<SiloOptions> options) : IPlacementDirector
{
    /// <summary>The epoch a lone silo writes under. The cluster raises it on every hand-off.</summary>
    internal const long SingleSiloEpoch = 1;

    private readonly int _partitionCount = options.Value.PartitionCount;

    public bool IsLocal(GrainId grainId) => true;

    public PartitionLease GetLease(GrainId grainId) => new(PartitionHash.Partition(grainId, _partitionCount), SingleSiloEpoch);
}
