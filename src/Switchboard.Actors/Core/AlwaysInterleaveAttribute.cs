namespace Switchboard.Actors;

/// <summary>Marks a grain interface method whose requests may interleave with any other request.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}
