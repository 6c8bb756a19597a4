using System.Collections.Frozen;

namespace Switchboard.Routing.Agents;

/// <summary>
/// Who an agent is for routing: skills with proficiency 1-10, team and vendor, and its routing
/// profile (the queues it serves, each with a priority: higher is served first).
/// </summary>
[Immutable]
public sealed record AgentProfile
{
    public AgentProfile(
        string agentId,
        string teamId,
        string vendorId,
        IEnumerable<KeyValuePair<string, int>> skills,
        IEnumerable<KeyValuePair<string, int>> queuePriorities)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        AgentId = agentId;
        TeamId = teamId;
        VendorId = vendorId;
        Skills = skills.ToFrozenDictionary(StringComparer.Ordinal);
        QueuePriorities = queuePriorities.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private readonly string? _displayName;

    public string AgentId { get; }

    /// <summary>The name boards and supervisors see; the id when none is configured.</summary>
    public string DisplayName { get => _displayName ?? AgentId; init => _displayName = string.IsNullOrEmpty(value) ? null : value; }

    /// <summary>A disabled agent cannot log in.</summary>
    public bool Disabled { get; init; }

    /// <summary>Whether the agent's vendor is the center's own staff (<c>VendorDefinition.InHouse</c>), set by the center configuration.</summary>
    public bool InHouse { get; init; }

    public string TeamId { get; }

    public string VendorId { get; }

    /// <summary>Skill name to proficiency (1-10). A language is a skill like any other.</summary>
    public FrozenDictionary<string, int> Skills { get; }

    /// <summary>Queue id to this agent's priority for that queue (higher first).</summary>
    public FrozenDictionary<string, int> QueuePriorities { get; }

    /// <summary>The agent's proficiency in <paramref name="skill"/>, or 0 when it lacks the skill.</summary>
    public int ProficiencyIn(string skill) => Skills.TryGetValue(skill, out var p) ? p : 0;

    public bool Serves(string queueId) => QueuePriorities.ContainsKey(queueId);

    /// <summary>The agent's priority for <paramref name="queueId"/>, or <see cref="int.MinValue"/> when it does not serve it.</summary>
    public int PriorityFor(string queueId) => QueuePriorities.TryGetValue(queueId, out var p) ? p : int.MinValue;
}
