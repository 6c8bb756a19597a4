namespace Switchboard.Actors;

/// <summary>
/// Lets an activation interleave requests at their awaits. Turns still never run in parallel:
/// only one thread runs grain code at a time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}
