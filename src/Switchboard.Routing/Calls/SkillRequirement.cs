namespace Switchboard.Routing.Calls;

/// <summary>A call needs an agent with <paramref name="Skill"/> at <paramref name="MinProficiency"/> (1-10) or more.</summary>
[GenerateSerializer, Immutable, Alias("sb.SkillRequirement")]
public readonly record struct SkillRequirement(string Skill, int MinProficiency);
