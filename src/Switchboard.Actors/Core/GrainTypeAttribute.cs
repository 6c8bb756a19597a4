namespace Switchboard.Actors;

/// <summary>
/// The stable type name of a grain class, used in grain ids, storage rows and journals.
/// Without it the name is the class name, lower-cased, without a trailing "Grain" (AgentGrain: agent).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
