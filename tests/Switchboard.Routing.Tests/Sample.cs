using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests;

/// <summary>Small builders of domain objects, so tests state only what matters to them.</summary>
internal static class Sample
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static AgentProfile Agent(
        string id,
        string queues = "billing",
        string skills = "",
        string team = "t1",
        string vendor = "inhouse")
    {
        return new AgentProfile(id, team, vendor, ParsePairs(skills, 5), ParsePairs(queues, 1));
    }

    public static Call Call(
        string id,
        double enqueuedAtSeconds = 0,
        string queue = "billing",
        int priority = 0,
        string skills = "",
        string? language = null,
        CustomerTier tier = CustomerTier.Standard,
        string caller = "+3312345")
    {
        var required = ParsePairs(skills, 1).Select(p => new SkillRequirement(p.Key, p.Value)).ToImmutableArray();
        return new Call(id, queue, caller, tier, required, language, priority, At(enqueuedAtSeconds));
    }

    public static AgentStateMachine AvailableAgent(AgentProfile profile, double availableAtSeconds = 0)
    {
        var agent = new AgentStateMachine(profile, At(availableAtSeconds));
        agent.Login(At(availableAtSeconds));
        agent.SetReady(At(availableAtSeconds));
        return agent;
    }

    public static AgentCandidate Candidate(AgentProfile profile, double availableSinceSeconds = 0, double occupancy = 0) =>
        new(profile, At(availableSinceSeconds), occupancy);

    /// <summary>"billing:3,sales" → billing=3, sales=<paramref name="defaultValue"/>.</summary>
    private static IEnumerable<KeyValuePair<string, int>> ParsePairs(string text, int defaultValue)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':');
            yield return new(kv[0], kv.Length > 1 ? int.Parse(kv[1]) : defaultValue);
        }
    }
}
