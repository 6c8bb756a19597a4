namespace Switchboard.Actors.Storage;

/// <summary>Which state row: the state name from <c>[PersistentState]</c> and the grain.</summary>
public readonly record struct StateKey(string StateName, GrainId GrainId)
{
    public override string ToString() => $"{StateName} of {GrainId}";
}
