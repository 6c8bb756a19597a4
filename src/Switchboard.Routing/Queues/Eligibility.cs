using System.Collections.Immutable;
using Switchboard.Routing.Agents;

namespace Switchboard.Routing.Queues;

/// <summary>Whether an agent may take a waiting call now: skills, language, vendor policy, relaxation, repeat caller, declines.</summary>
internal static class Eligibility
{
    /// <summary>
    /// True when <paramref name="agent"/> may take <paramref name="entry"/> at <paramref name="now"/>;
    /// <paramref name="vendorRank"/> is the agent's vendor preference rank (lower first).
    /// </summary>
    public static bool IsEligible(QueueDefinition queue, WaitingCall entry, AgentProfile agent, DateTimeOffset now, out int vendorRank)
    {
        vendorRank = 0;
        if (VendorPolicy.IndexOf(entry.DeclinedBy, agent.AgentId) >= 0)
        {
            return false;
        }

        var wait = now - entry.EnqueuedAt;
        if (entry.PreferredAgentId is not null
            && wait < queue.RepeatCallerWait
            && !string.Equals(entry.PreferredAgentId, agent.AgentId, StringComparison.Ordinal))
        {
            return false;
        }

        // Sum the relaxation steps reached; steps are few, so a loop beats building sets.
        var reduction = 0;
        var servesOverflow = false;
        var ignoreLanguage = false;
        var relaxedVendors = ImmutableArray<string>.Empty;
        var steps = queue.Relaxation;
        if (!steps.IsDefaultOrEmpty)
        {
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                if (wait < step.After)
                {
                    continue;
                }

                reduction += step.ProficiencyReduction;
                ignoreLanguage |= step.IgnoreLanguage;
                if (!step.AdditionalVendors.IsDefaultOrEmpty)
                {
                    relaxedVendors = relaxedVendors.IsEmpty ? step.AdditionalVendors : relaxedVendors.AddRange(step.AdditionalVendors);
                }

                if (!servesOverflow && !step.OverflowQueues.IsDefaultOrEmpty)
                {
                    for (var q = 0; q < step.OverflowQueues.Length; q++)
                    {
                        if (agent.Serves(step.OverflowQueues[q]))
                        {
                            servesOverflow = true;
                            break;
                        }
                    }
                }
            }
        }

        if (!servesOverflow && !agent.Serves(queue.QueueId))
        {
            return false;
        }

        if (!queue.VendorPolicy.Admits(agent.VendorId, relaxedVendors, out vendorRank))
        {
            return false;
        }

        if (!queue.InHouseFirstTiers.IsDefaultOrEmpty && queue.InHouseFirstTiers.Contains(entry.Call.Tier))
        {
            // In-house agents before every vendor preference; the others keep their order behind them.
            vendorRank = agent.InHouse ? 0 : vendorRank + 1;
        }

        var required = entry.Call.RequiredSkills;
        if (!required.IsDefaultOrEmpty)
        {
            for (var i = 0; i < required.Length; i++)
            {
                var need = Math.Max(1, required[i].MinProficiency - reduction);
                if (agent.ProficiencyIn(required[i].Skill) < need)
                {
                    return false;
                }
            }
        }

        var language = entry.Call.Language;
        return language is null || ignoreLanguage || agent.ProficiencyIn(language) >= Math.Max(1, queue.LanguageMinProficiency);
    }
}
