using Grpc.Core;
using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Switchboard.Gateway.Errors;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;
using V1 = Switchboard.Contracts.V1;
using RoutingMaxWait = Switchboard.Routing.Calls.MaxWaitAction;

namespace Switchboard.Gateway.Admin;

/// <summary>
/// The center configuration's entities as the Admin API's messages and back; bad values are refused with
/// INVALID_ARGUMENT naming the field (docs/api.md).
/// </summary>
internal static class AdminMapping
{
    /// <summary>Reason codes every center has, set by the server (the API's names).</summary>
    public static readonly string[] SystemReasonCodes = ["disconnected", "login", "missed-offer"];

    /// <summary>Proficiency given to an agent's languages, which routing keeps as skills.</summary>
    public const int LanguageProficiency = 10;

    public static V1.Vendor Vendor(VendorDefinition vendor, string etag) =>
        new() { Id = vendor.VendorId, DisplayName = vendor.Name, InHouse = vendor.InHouse, Etag = etag };

    public static VendorDefinition Vendor(V1.Vendor vendor)
    {
        var id = RequestValidation.Id(vendor.Id, "vendor.id");
        RequestValidation.MaxLength(vendor.DisplayName, "vendor.display_name", 128);
        return new VendorDefinition(id, vendor.DisplayName.Length > 0 ? vendor.DisplayName : id) { InHouse = vendor.InHouse };
    }

    public static V1.ReasonCode ReasonCode(string id, V1.ReasonCodeKind kind, ReasonCodeDetails details, string etag) =>
        new() { Id = id, DisplayName = details.Name, Kind = kind, Productive = details.Productive, Etag = etag };

    public static V1.Team Team(TeamDefinition team, string etag) =>
        new() { Id = team.TeamId, DisplayName = team.Name, VendorId = team.VendorId, LeaderAgentId = team.LeaderAgentId ?? "", Etag = etag };

    public static TeamDefinition Team(V1.Team team)
    {
        var id = RequestValidation.Id(team.Id, "team.id");
        RequestValidation.MaxLength(team.DisplayName, "team.display_name", 128);
        var vendor = RequestValidation.Id(team.VendorId, "team.vendor_id");
        var leader = team.LeaderAgentId.Length > 0 ? RequestValidation.Id(team.LeaderAgentId, "team.leader_agent_id") : null;
        return new TeamDefinition(id, team.DisplayName.Length > 0 ? team.DisplayName : id, vendor) { LeaderAgentId = leader };
    }

    public static V1.Agent Agent(AgentProfile agent, string etag)
    {
        var result = new V1.Agent
        {
            Id = agent.AgentId,
            DisplayName = agent.DisplayName,
            TeamId = agent.TeamId,
            VendorId = agent.VendorId,
            Disabled = agent.Disabled,
            Etag = etag,
        };
        foreach (var (skill, proficiency) in agent.Skills.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result.Skills.Add(new V1.SkillLevel { SkillId = skill, Proficiency = proficiency });
        }
        return result;
    }

    /// <summary>
    /// The agent's profile. The API has no queue membership on agents: an existing agent keeps the queues it
    /// serves; a new one serves every configured queue (its skills decide which calls it can take).
    /// </summary>
    public static AgentProfile Agent(V1.Agent agent, CenterConfiguration center)
    {
        var id = RequestValidation.Id(agent.Id, "agent.id");
        RequestValidation.MaxLength(agent.DisplayName, "agent.display_name", 128);
        var teamId = RequestValidation.Id(agent.TeamId, "agent.team_id");
        if (!center.TeamsById.TryGetValue(teamId, out var team))
        {
            throw RequestValidation.NotFound($"team {teamId} of agent {id} does not exist");
        }
        var skills = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < agent.Skills.Count; i++)
        {
            var skill = agent.Skills[i];
            var skillId = RequestValidation.Id(skill.SkillId, $"agent.skills[{i}].skill_id");
            RequestValidation.Range(skill.Proficiency, $"agent.skills[{i}].proficiency", 1, 10);
            if (!center.Skills.Contains(skillId))
            {
                throw RequestValidation.NotFound($"skill {skillId} of agent {id} does not exist");
            }
            if (!skills.TryAdd(skillId, skill.Proficiency))
            {
                throw RequestValidation.Invalid($"agent.skills lists skill {skillId} twice");
            }
        }
        for (var i = 0; i < agent.Languages.Count; i++)
        {
            var language = RequestValidation.Id(agent.Languages[i], $"agent.languages[{i}]");
            skills.TryAdd(language, LanguageProficiency);
        }
        IEnumerable<KeyValuePair<string, int>> queues = center.AgentsById.TryGetValue(id, out var existing)
            ? existing.QueuePriorities
            : center.Queues.Select(q => KeyValuePair.Create(q.QueueId, 0));
        return new AgentProfile(id, teamId, team.VendorId, skills, queues) { DisplayName = agent.DisplayName, Disabled = agent.Disabled };
    }

    public static V1.Queue Queue(QueueDefinition queue, string etag)
    {
        var result = new V1.Queue
        {
            Id = queue.QueueId,
            DisplayName = queue.Name,
            Closed = queue.Closed,
            MaxCalls = queue.MaxCalls,
            DefaultPriority = queue.DefaultPriority,
            DispositionRequired = queue.DispositionRequired,
            ServiceLevelTarget = queue.ServiceLevelTarget,
            ShortAbandonThreshold = Duration.FromTimeSpan(queue.ShortAbandonThreshold),
            Strategy = queue.Strategy switch
            {
                StrategyKind.MostSkilled => V1.RoutingStrategy.MostSkilled,
                StrategyKind.LeastOccupied => V1.RoutingStrategy.LeastOccupied,
                StrategyKind.RoundRobin => V1.RoutingStrategy.RoundRobin,
                StrategyKind.Random => V1.RoutingStrategy.Random,
                _ => V1.RoutingStrategy.LongestIdle,
            },
            ServiceLevelThreshold = Duration.FromTimeSpan(queue.ServiceLevelThreshold),
            RingTimeout = Duration.FromTimeSpan(queue.OfferTimeout),
            MaxWrapUp = Duration.FromTimeSpan(queue.MaxWrapUp),
            PreferredAgentWait = Duration.FromTimeSpan(queue.RepeatCallerWait),
            VendorPolicy = new V1.VendorPolicy
            {
                Unlisted = queue.VendorPolicy.Allowed.IsDefaultOrEmpty ? V1.UnlistedVendors.Allow : V1.UnlistedVendors.Forbid,
            },
            Etag = etag,
        };
        if (queue.PositionAnnouncementInterval is { } interval)
        {
            result.PositionAnnouncementInterval = Duration.FromTimeSpan(interval);
        }
        foreach (var requirement in OrEmpty(queue.RequiredSkills))
        {
            result.RequiredSkills.Add(new V1.SkillRequirement { SkillId = requirement.Skill, MinProficiency = requirement.MinProficiency });
        }
        result.VendorPolicy.PreferredVendorIds.Add(OrEmpty(queue.VendorPolicy.Preferred));
        result.VendorPolicy.ForbiddenVendorIds.Add(OrEmpty(queue.VendorPolicy.Forbidden));
        if (queue.MaxWait is { } after && queue.MaxWaitAction != RoutingMaxWait.None)
        {
            result.MaxWait = new V1.MaxWait
            {
                After = Duration.FromTimeSpan(after),
                Action = queue.MaxWaitAction switch
                {
                    RoutingMaxWait.Overflow => V1.MaxWaitAction.Overflow,
                    RoutingMaxWait.Voicemail => V1.MaxWaitAction.Voicemail,
                    _ => V1.MaxWaitAction.Callback,
                },
                OverflowQueueId = queue.OverflowQueueId ?? "",
                OverflowNumber = queue.OverflowNumber ?? "",
            };
        }
        foreach (var step in OrEmpty(queue.Relaxation))
        {
            var relaxation = new V1.RelaxationStep { After = Duration.FromTimeSpan(step.After), LowerProficiencyBy = step.ProficiencyReduction, IgnoreLanguage = step.IgnoreLanguage };
            relaxation.AllowVendorIds.Add(OrEmpty(step.AdditionalVendors));
            relaxation.OverflowQueueIds.Add(OrEmpty(step.OverflowQueues));
            result.Relaxation.Add(relaxation);
        }
        if (queue.Aging is { } aging)
        {
            result.Aging = new V1.PriorityAging { Every = Duration.FromTimeSpan(aging.Every), Step = aging.Step, MaxPriority = aging.MaxBoost };
        }
        var boosts = queue.TierPriorityBoost;
        var inHouseFirst = OrEmpty(queue.InHouseFirstTiers);
        for (var tier = 0; tier < 4; tier++)
        {
            var boost = !boosts.IsDefaultOrEmpty && tier < boosts.Length ? boosts[tier] : 0;
            var first = inHouseFirst.Contains((Routing.Calls.CustomerTier)tier);
            if ((boost != 0 && tier > 0) || first)
            {
                result.TierRules.Add(new V1.TierRule { Tier = Mapping.ContractMapping.Tier((Routing.Calls.CustomerTier)tier), PriorityBoost = boost, InHouseFirst = first });
            }
        }
        return result;
    }

    public static QueueDefinition Queue(V1.Queue queue)
    {
        var id = RequestValidation.Id(queue.Id, "queue.id");
        RequestValidation.MaxLength(queue.DisplayName, "queue.display_name", 128);
        if (queue.MaxCalls < 0)
        {
            throw RequestValidation.Invalid($"queue {id}: max_calls is {queue.MaxCalls}; it must not be negative (0: no limit)");
        }
        if (queue.RequiredSkills.Count > 16)
        {
            throw RequestValidation.Invalid($"queue {id}: required_skills has {queue.RequiredSkills.Count} entries; at most 16 are allowed");
        }
        var required = ImmutableArray.CreateBuilder<Routing.Calls.SkillRequirement>(queue.RequiredSkills.Count);
        for (var i = 0; i < queue.RequiredSkills.Count; i++)
        {
            var skill = queue.RequiredSkills[i];
            var skillId = RequestValidation.Id(skill.SkillId, $"queue.required_skills[{i}].skill_id");
            RequestValidation.Range(skill.MinProficiency, $"queue.required_skills[{i}].min_proficiency", 0, 10);
            if (required.Any(r => r.Skill == skillId))
            {
                throw RequestValidation.Invalid($"queue {id}: required_skills lists skill {skillId} twice");
            }
            required.Add(new Routing.Calls.SkillRequirement(skillId, Math.Max(1, skill.MinProficiency)));
        }
        var definition = new QueueDefinition(id)
        {
            Name = queue.DisplayName.Length > 0 ? queue.DisplayName : id,
            Closed = queue.Closed,
            MaxCalls = queue.MaxCalls,
            RequiredSkills = required.ToImmutable(),
            DefaultPriority = RequestValidation.Range(queue.DefaultPriority, "queue.default_priority", 0, 100),
            DispositionRequired = queue.DispositionRequired,
            Strategy = queue.Strategy switch
            {
                V1.RoutingStrategy.MostSkilled => StrategyKind.MostSkilled,
                V1.RoutingStrategy.LeastOccupied => StrategyKind.LeastOccupied,
                V1.RoutingStrategy.RoundRobin => StrategyKind.RoundRobin,
                V1.RoutingStrategy.Random => StrategyKind.Random,
                _ => StrategyKind.LongestIdle,
            },
        };
        if (queue.ServiceLevelThreshold is { } threshold)
        {
            definition = definition with { ServiceLevelThreshold = Positive(threshold, "queue.service_level_threshold") };
        }
        if (queue.HasServiceLevelTarget)
        {
            if (double.IsNaN(queue.ServiceLevelTarget) || queue.ServiceLevelTarget is <= 0 or > 1)
            {
                throw RequestValidation.Invalid($"queue {id}: service_level_target is {queue.ServiceLevelTarget}; it must be above 0 and at most 1 (0.8 is 80%)");
            }
            definition = definition with { ServiceLevelTarget = queue.ServiceLevelTarget };
        }
        if (queue.ShortAbandonThreshold is { } shortAbandon)
        {
            definition = definition with { ShortAbandonThreshold = NotNegative(shortAbandon, "queue.short_abandon_threshold") };
        }
        if (queue.PositionAnnouncementInterval is { } announce)
        {
            definition = definition with { PositionAnnouncementInterval = NotNegative(announce, "queue.position_announcement_interval") };
        }
        if (queue.RingTimeout is { } ring)
        {
            definition = definition with { OfferTimeout = Positive(ring, "queue.ring_timeout") };
        }
        if (queue.MaxWrapUp is { } wrapUp)
        {
            definition = definition with { MaxWrapUp = NotNegative(wrapUp, "queue.max_wrap_up") };
        }
        if (queue.PreferredAgentWait is { } wait)
        {
            definition = definition with { RepeatCallerWait = NotNegative(wait, "queue.preferred_agent_wait") };
        }
        if (queue.MaxWait is { Action: not V1.MaxWaitAction.Unspecified } maxWait)
        {
            var after = Positive(maxWait.After ?? new Duration(), "queue.max_wait.after");
            var toNumber = maxWait.Action == V1.MaxWaitAction.Overflow && maxWait.OverflowNumber.Length > 0;
            if (toNumber && maxWait.OverflowQueueId.Length > 0)
            {
                throw RequestValidation.Invalid($"queue {id}: max_wait has both overflow_queue_id and overflow_number; give one");
            }
            if (toNumber && !PhoneNumber.IsE164(maxWait.OverflowNumber))
            {
                throw RequestValidation.Invalid($"queue {id}: max_wait.overflow_number '{maxWait.OverflowNumber}' is not an E.164 number (+ and 7-15 digits)");
            }
            definition = definition with
            {
                MaxWait = after,
                MaxWaitAction = maxWait.Action switch
                {
                    V1.MaxWaitAction.Overflow => RoutingMaxWait.Overflow,
                    V1.MaxWaitAction.Voicemail => RoutingMaxWait.Voicemail,
                    _ => RoutingMaxWait.Callback,
                },
                OverflowQueueId = maxWait.Action == V1.MaxWaitAction.Overflow && !toNumber ? RequestValidation.Id(maxWait.OverflowQueueId, "queue.max_wait.overflow_queue_id") : null,
                OverflowNumber = toNumber ? maxWait.OverflowNumber : null,
            };
        }
        if (queue.Relaxation.Count > 10)
        {
            throw RequestValidation.Invalid($"queue {id}: relaxation has {queue.Relaxation.Count} steps; at most 10 are allowed");
        }
        var steps = ImmutableArray.CreateBuilder<RelaxationStep>();
        for (var i = 0; i < queue.Relaxation.Count; i++)
        {
            var step = queue.Relaxation[i];
            var after = Positive(step.After ?? new Duration(), $"queue.relaxation[{i}].after");
            if (i > 0 && after <= steps[i - 1].After)
            {
                throw RequestValidation.Invalid($"queue {id}: relaxation[{i}].after ({after.TotalSeconds}s) must be later than relaxation[{i - 1}].after ({steps[i - 1].After.TotalSeconds}s)");
            }
            steps.Add(new RelaxationStep(after, RequestValidation.Range(step.LowerProficiencyBy, $"queue.relaxation[{i}].lower_proficiency_by", 0, 9),
                [.. step.AllowVendorIds], [.. step.OverflowQueueIds], step.IgnoreLanguage));
        }
        definition = definition with { Relaxation = steps.ToImmutable() };
        if (queue.VendorPolicy is { } policy)
        {
            var overlap = policy.PreferredVendorIds.Intersect(policy.ForbiddenVendorIds).FirstOrDefault();
            if (overlap is not null)
            {
                throw RequestValidation.Invalid($"queue {id}: vendor {overlap} is both preferred and forbidden");
            }
            definition = definition with
            {
                VendorPolicy = new VendorPolicy(
                    policy.Unlisted == V1.UnlistedVendors.Forbid ? [.. policy.PreferredVendorIds] : [],
                    [.. policy.PreferredVendorIds],
                    [.. policy.ForbiddenVendorIds]),
            };
        }
        if (queue.Aging is { Every: { } every } aging && every.ToTimeSpan() > TimeSpan.Zero)
        {
            definition = definition with
            {
                Aging = new PriorityAging(
                    every.ToTimeSpan(),
                    RequestValidation.Range(aging.MaxPriority, "queue.aging.max_priority", 1, 100),
                    aging.Step == 0 ? 1 : RequestValidation.Range(aging.Step, "queue.aging.step", 1, 100)),
            };
        }
        if (queue.TierRules.Count > 0)
        {
            var boosts = new int[4];
            var inHouseFirst = ImmutableArray.CreateBuilder<Routing.Calls.CustomerTier>();
            foreach (var rule in queue.TierRules)
            {
                var tier = Mapping.ContractMapping.Tier(rule.Tier);
                boosts[(int)tier] = RequestValidation.Range(rule.PriorityBoost, "queue.tier_rules.priority_boost", 0, 100);
                if (rule.InHouseFirst)
                {
                    inHouseFirst.Add(tier);
                }
            }
            definition = definition with { TierPriorityBoost = [.. boosts], InHouseFirstTiers = inHouseFirst.ToImmutable() };
        }
        return definition;
    }

    private static TimeSpan Positive(Duration value, string field)
    {
        var span = value.ToTimeSpan();
        if (span <= TimeSpan.Zero)
        {
            throw RequestValidation.Invalid($"{field} is {span.TotalSeconds}s; it must be positive");
        }
        return span;
    }

    private static TimeSpan NotNegative(Duration value, string field)
    {
        var span = value.ToTimeSpan();
        if (span < TimeSpan.Zero)
        {
            throw RequestValidation.Invalid($"{field} is {span.TotalSeconds}s; it must not be negative");
        }
        return span;
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> array) => array.IsDefault ? [] : array;
}
