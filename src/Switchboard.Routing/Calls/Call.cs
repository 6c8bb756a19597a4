using System.Collections.Immutable;

namespace Switchboard.Routing.Calls;

/// <summary>
/// What routing knows of a call. <see cref="EnqueuedAt"/> is the original enqueue time: it never changes
/// (not after a reject, a no-answer or an overflow), which is how a returned call keeps its place.
/// <see cref="Language"/> is matched as a skill of the same name.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.Call")]
public sealed record Call(
    string CallId,
    string QueueId,
    string CallerNumber,
    CustomerTier Tier,
    ImmutableArray<SkillRequirement> RequiredSkills,
    string? Language,
    int Priority,
    DateTimeOffset EnqueuedAt);
