namespace Switchboard.Actors;

/// <summary>A grain state type that cannot be serialized to or from JSON.</summary>
public sealed class StateSerializationException : Exception
{
    public StateSerializationException(string grainClass, string stateName, Type stateType, Exception inner)
        : base($"State '{stateName}' of grain class {grainClass} has type {stateType.FullName}, which cannot be serialized as JSON: {inner.Message}", inner)
    {
        StateType = stateType;
    }

    public Type StateType { get; }
}
