namespace Switchboard.Actors.Placement;

/// <summary>
/// The placement step every grain call goes through: which silo hosts a grain, and under which
/// partition lease it runs. The single-silo director answers "this silo" and a constant epoch; the
/// cluster replaces it with partition leases from membership.
/// </summary>
public interface IPlacementDirector
{
    /// <summary>True when the grain's partition is owned by this silo.</summary>
    bool IsLocal(GrainId grainId);

    /// <summary>The partition and epoch under which an activation of the grain here may write.</summary>
    PartitionLease GetLease(GrainId grainId);
}
