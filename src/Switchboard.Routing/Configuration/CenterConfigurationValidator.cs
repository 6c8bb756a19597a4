using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.Configuration;

/// <summary>Turns a parsed file into a <see cref="CenterConfiguration"/>, collecting every problem with its path.</summary>
internal sealed class CenterConfigurationValidator
{
    private readonly List<ConfigurationProblem> _problems = [];

    public IReadOnlyList<ConfigurationProblem> Problems => _problems;

    public CenterConfiguration Validate(CenterFile file)
    {
        var skills = Ids(file.Skills, "skills");
        var reasonCodes = Ids(file.ReasonCodes, "reasonCodes");
        var skillSet = skills.ToHashSet(StringComparer.Ordinal);
        var dispositions = Ids(file.Dispositions, "dispositions");
        for (var i = 0; i < dispositions.Length; i++)
        {
            if (reasonCodes.Contains(dispositions[i]))
            {
                Problem($"dispositions[{i}]", $"'{dispositions[i]}' is already a not-ready reason code: a code is one or the other");
            }
        }

        var skillNames = Names(file.SkillNames, "skillNames", skillSet, "skill");
        var codeNames = Names(file.ReasonCodeNames, "reasonCodeNames", [.. reasonCodes, .. dispositions], "reason code or disposition");
        var productive = References(file.ProductiveReasonCodes, "productiveReasonCodes", "reason code", reasonCodes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal));
        var codeDetails = new Dictionary<string, ReasonCodeDetails>(StringComparer.Ordinal);
        foreach (var code in reasonCodes.Concat(dispositions))
        {
            var name = codeNames.GetValueOrDefault(code);
            if (name is not null || productive.Contains(code))
            {
                codeDetails[code] = new ReasonCodeDetails(name ?? code, productive.Contains(code));
            }
        }

        var vendors = ImmutableArray.CreateBuilder<VendorDefinition>();
        var vendorIds = new Dictionary<string, int>(StringComparer.Ordinal);
        Each(file.Vendors, "vendors", (v, path) =>
        {
            var id = Id(v.Id, path, "vendor", vendorIds);
            if (id is not null)
            {
                vendors.Add(new VendorDefinition(id, v.Name ?? id) { InHouse = v.InHouse ?? false });
            }
        });

        var teams = ImmutableArray.CreateBuilder<TeamDefinition>();
        var teamIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var teamVendor = new Dictionary<string, string>(StringComparer.Ordinal);
        Each(file.Teams, "teams", (t, path) =>
        {
            var id = Id(t.Id, path, "team", teamIds);
            var vendor = Reference(t.Vendor, $"{path}.vendor", "vendor", vendorIds);
            if (id is not null && vendor is not null)
            {
                teams.Add(new TeamDefinition(id, t.Name ?? id, vendor) { LeaderAgentId = string.IsNullOrWhiteSpace(t.Leader) ? null : t.Leader });
                teamVendor[id] = vendor;
            }
        });

        // Queue ids first: queues refer to each other (overflow, relaxation).
        var queueIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var queueEntries = new List<(QueueEntry Entry, string Path, string? Id)>();
        Each(file.Queues, "queues", (q, path) => queueEntries.Add((q, path, Id(q.Id, path, "queue", queueIds))));

        var queues = ImmutableArray.CreateBuilder<QueueDefinition>();
        foreach (var (entry, path, id) in queueEntries)
        {
            var queue = Queue(entry, path, id, queueIds, vendorIds, skillSet);
            if (queue is not null)
            {
                queues.Add(queue);
            }
        }

        var agents = ImmutableArray.CreateBuilder<AgentProfile>();
        var agentIds = new Dictionary<string, int>(StringComparer.Ordinal);
        Each(file.Agents, "agents", (a, path) =>
        {
            var id = Id(a.Id, path, "agent", agentIds);
            var team = Reference(a.Team, $"{path}.team", "team", teamIds);
            var agentSkills = new List<KeyValuePair<string, int>>();
            foreach (var (skill, proficiency) in a.Skills ?? [])
            {
                var at = $"{path}.skills.{skill}";
                if (!skillSet.Contains(skill))
                {
                    Problem(at, $"unknown skill '{skill}' (declare it under skills)");
                }
                else if (proficiency is < 1 or > 10)
                {
                    Problem(at, $"proficiency {proficiency} is outside 1-10");
                }
                else
                {
                    agentSkills.Add(new(skill, proficiency));
                }
            }

            var priorities = new List<KeyValuePair<string, int>>();
            foreach (var (queue, priority) in a.Queues ?? [])
            {
                if (Reference(queue, $"{path}.queues.{queue}", "queue", queueIds) is not null)
                {
                    priorities.Add(new(queue, priority));
                }
            }

            if (id is not null && team is not null && teamVendor.TryGetValue(team, out var vendor))
            {
                agents.Add(new AgentProfile(id, team, vendor, agentSkills, priorities) { DisplayName = a.Name!, Disabled = a.Disabled ?? false });
            }
        });

        return new CenterConfiguration(
            skills, reasonCodes, vendors.ToImmutable(), teams.ToImmutable(), queues.ToImmutable(), agents.ToImmutable(), dispositions, skillNames, codeDetails);
    }

    private QueueDefinition? Queue(QueueEntry q, string path, string? id, Dictionary<string, int> queueIds, Dictionary<string, int> vendorIds, HashSet<string> skills)
    {
        var definition = new QueueDefinition(id ?? "?")
        {
            Name = q.Name ?? id ?? "?",
            Closed = q.Closed ?? false,
            MaxCalls = q.MaxCalls ?? 0,
            DefaultPriority = q.DefaultPriority ?? 0,
            DispositionRequired = q.DispositionRequired ?? false,
            ServiceLevelTarget = q.ServiceLevelTarget ?? 0.8,
            PositionAnnouncementInterval = Seconds(q.PositionAnnouncementSeconds, $"{path}.positionAnnouncementSeconds", allowZero: true),
        };

        if (Seconds(q.ShortAbandonSeconds, $"{path}.shortAbandonSeconds", allowZero: true) is { } shortAbandon)
        {
            definition = definition with { ShortAbandonThreshold = shortAbandon };
        }

        if (q.RequiredSkills is { } required)
        {
            var requirements = ImmutableArray.CreateBuilder<SkillRequirement>();
            foreach (var (skill, minimum) in required)
            {
                if (!skills.Contains(skill))
                {
                    Problem($"{path}.requiredSkills.{skill}", $"unknown skill '{skill}' (declare it under skills)");
                }
                else
                {
                    requirements.Add(new SkillRequirement(skill, minimum));
                }
            }

            definition = definition with { RequiredSkills = requirements.ToImmutable() };
        }

        QueueLimits.Check(definition, path, _problems);

        if (q.Strategy is not null)
        {
            if (Enum.TryParse<StrategyKind>(q.Strategy.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var strategy)
                && Enum.IsDefined(strategy))
            {
                definition = definition with { Strategy = strategy };
            }
            else
            {
                Problem($"{path}.strategy", $"unknown strategy '{q.Strategy}' (longestIdle, mostSkilled, leastOccupied, roundRobin, random)");
            }
        }

        if (Seconds(q.ServiceLevelSeconds, $"{path}.serviceLevelSeconds", allowZero: false) is { } sl)
        {
            definition = definition with { ServiceLevelThreshold = sl };
        }

        if (Seconds(q.MaxWrapUpSeconds, $"{path}.maxWrapUpSeconds", allowZero: true) is { } wrap)
        {
            definition = definition with { MaxWrapUp = wrap };
        }

        if (Seconds(q.OfferTimeoutSeconds, $"{path}.offerTimeoutSeconds", allowZero: false) is { } offer)
        {
            definition = definition with { OfferTimeout = offer };
        }

        if (Seconds(q.RepeatCallerWaitSeconds, $"{path}.repeatCallerWaitSeconds", allowZero: true) is { } repeat)
        {
            definition = definition with { RepeatCallerWait = repeat };
        }

        if (Seconds(q.DefaultHandleTimeSeconds, $"{path}.defaultHandleTimeSeconds", allowZero: false) is { } aht)
        {
            definition = definition with { DefaultHandleTime = aht };
        }

        string? overflow = null;
        if (q.Overflow is { Number: { } number })
        {
            if (q.Overflow.Queue is not null)
            {
                Problem($"{path}.overflow", "names both a queue and a number; give one");
            }
            else if (!PhoneNumber.IsE164(number))
            {
                Problem($"{path}.overflow.number", $"'{number}' is not an E.164 number (+ and 7-15 digits)");
            }
            else
            {
                definition = definition with { OverflowNumber = number };
            }
        }
        else if (q.Overflow is not null)
        {
            overflow = Reference(q.Overflow.Queue, $"{path}.overflow.queue", "queue", queueIds);
            if (overflow is not null && string.Equals(overflow, id, StringComparison.Ordinal))
            {
                Problem($"{path}.overflow.queue", $"queue '{id}' cannot overflow to itself");
                overflow = null;
            }

            definition = definition with { OverflowQueueId = overflow };
        }

        if (q.MaxWait is { } maxWait)
        {
            var seconds = Seconds(maxWait.Seconds, $"{path}.maxWait.seconds", allowZero: false);
            if (seconds is null && maxWait.Seconds is null)
            {
                Problem($"{path}.maxWait.seconds", "is required");
            }

            var action = MaxWaitAction.Voicemail;
            if (maxWait.Action is null)
            {
                Problem($"{path}.maxWait.action", "is required (overflow, voicemail or callback)");
            }
            else if (!Enum.TryParse(maxWait.Action, ignoreCase: true, out action) || action == MaxWaitAction.None || !Enum.IsDefined(action))
            {
                Problem($"{path}.maxWait.action", $"unknown action '{maxWait.Action}' (overflow, voicemail or callback)");
            }
            else if (action == MaxWaitAction.Overflow && q.Overflow?.Queue is null && q.Overflow?.Number is null)
            {
                Problem($"{path}.overflow.queue", "is required when maxWait.action is overflow (or overflow.number)");
            }

            definition = definition with { MaxWait = seconds, MaxWaitAction = action };
        }

        if (q.Aging is { } aging)
        {
            var every = Seconds(aging.EverySeconds, $"{path}.aging.everySeconds", allowZero: false);
            if (aging.EverySeconds is null)
            {
                Problem($"{path}.aging.everySeconds", "is required");
            }

            var maxBoost = aging.MaxBoost ?? int.MaxValue;
            if (maxBoost < 0)
            {
                Problem($"{path}.aging.maxBoost", $"{maxBoost} is negative");
            }

            var step = aging.Step ?? 1;
            if (step < 1)
            {
                Problem($"{path}.aging.step", $"{step} is less than 1");
            }

            if (every is not null)
            {
                definition = definition with { Aging = new PriorityAging(every.Value, maxBoost, step) };
            }
        }

        if (q.Vendors is { } policy)
        {
            definition = definition with
            {
                VendorPolicy = new VendorPolicy(
                    References(policy.Allow, $"{path}.vendors.allow", "vendor", vendorIds),
                    References(policy.Prefer, $"{path}.vendors.prefer", "vendor", vendorIds),
                    References(policy.Forbid, $"{path}.vendors.forbid", "vendor", vendorIds)),
            };
        }

        if (q.Relaxation is { } relaxation)
        {
            var steps = ImmutableArray.CreateBuilder<RelaxationStep>();
            var previous = TimeSpan.MinValue;
            for (var i = 0; i < relaxation.Count; i++)
            {
                var at = $"{path}.relaxation[{i}]";
                if (relaxation[i] is not { } step)
                {
                    Problem(at, "is empty");
                    continue;
                }

                var after = Seconds(step.AfterSeconds, $"{at}.afterSeconds", allowZero: true);
                if (step.AfterSeconds is null)
                {
                    Problem($"{at}.afterSeconds", "is required");
                }

                if (after is not null && after < previous)
                {
                    Problem($"{at}.afterSeconds", "steps must be in increasing order of afterSeconds");
                }

                var reduction = step.ProficiencyReduction ?? 0;
                if (reduction is < 0 or > 9)
                {
                    Problem($"{at}.proficiencyReduction", $"{reduction} is outside 0-9");
                }

                var stepVendors = References(step.Vendors, $"{at}.vendors", "vendor", vendorIds);
                var stepQueues = References(step.Queues, $"{at}.queues", "queue", queueIds);
                if (after is not null)
                {
                    previous = after.Value;
                    steps.Add(new RelaxationStep(after.Value, reduction, stepVendors, stepQueues, step.IgnoreLanguage ?? false));
                }
            }

            definition = definition with { Relaxation = steps.ToImmutable() };
        }

        if (q.TierBoost is { } tiers)
        {
            var boosts = definition.TierPriorityBoost.ToBuilder();
            foreach (var (tier, boost) in tiers)
            {
                if (Enum.TryParse<CustomerTier>(tier.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var t) && Enum.IsDefined(t))
                {
                    boosts[(int)t] = boost;
                }
                else
                {
                    Problem($"{path}.tierBoost.{tier}", $"unknown tier '{tier}' (standard, atRisk, highValue, vip)");
                }
            }

            definition = definition with { TierPriorityBoost = boosts.ToImmutable() };
        }

        if (q.InHouseFirst is { } firstTiers)
        {
            var inHouseFirst = ImmutableArray.CreateBuilder<CustomerTier>();
            for (var i = 0; i < firstTiers.Count; i++)
            {
                if (firstTiers[i] is { } tier && Enum.TryParse<CustomerTier>(tier.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var t)
                    && Enum.IsDefined(t) && !char.IsDigit(tier[0]))
                {
                    inHouseFirst.Add(t);
                }
                else
                {
                    Problem($"{path}.inHouseFirst[{i}]", $"unknown tier '{firstTiers[i]}' (standard, atRisk, highValue, vip)");
                }
            }

            definition = definition with { InHouseFirstTiers = inHouseFirst.ToImmutable() };
        }

        return id is null ? null : definition;
    }

    private ImmutableArray<string> Ids(List<string?>? list, string path)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            if (Id(list![i], $"{path}[{i}]", path.TrimEnd('s'), seen) is { } id)
            {
                ids.Add(id);
            }
        }

        return ids.ToImmutable();
    }

    /// <summary>Display names by id: each id must be one of <paramref name="known"/>, each name 1-128 characters.</summary>
    private Dictionary<string, string> Names(Dictionary<string, string>? names, string path, IReadOnlyCollection<string> known, string kind)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, name) in names ?? [])
        {
            if (!known.Contains(id))
            {
                Problem($"{path}.{id}", $"unknown {kind} '{id}'");
            }
            else if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
            {
                Problem($"{path}.{id}", "a name must be 1-128 characters");
            }
            else
            {
                result[id] = name;
            }
        }

        return result;
    }

    private void Each<T>(List<T?>? list, string path, Action<T, string> validate)
        where T : class
    {
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            if (list![i] is { } item)
            {
                validate(item, at);
            }
            else
            {
                Problem(at, "is empty");
            }
        }
    }

    private string? Id(string? id, string path, string kind, Dictionary<string, int> seen)
    {
        var at = path.EndsWith(']') && kind is "vendor" or "team" or "queue" or "agent" ? $"{path}.id" : path;
        if (string.IsNullOrWhiteSpace(id))
        {
            Problem(at, $"a {kind} needs an id");
            return null;
        }

        if (!seen.TryAdd(id, seen.Count))
        {
            Problem(at, $"duplicate {kind} id '{id}'");
            return null;
        }

        return id;
    }

    private string? Reference(string? id, string path, string kind, Dictionary<string, int> known)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            Problem(path, $"a {kind} is required");
            return null;
        }

        if (!known.ContainsKey(id))
        {
            Problem(path, $"unknown {kind} '{id}'");
            return null;
        }

        return id;
    }

    private ImmutableArray<string> References(List<string?>? ids, string path, string kind, Dictionary<string, int> known)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < (ids?.Count ?? 0); i++)
        {
            if (Reference(ids![i], $"{path}[{i}]", kind, known) is { } id)
            {
                result.Add(id);
            }
        }

        return result.ToImmutable();
    }

    private TimeSpan? Seconds(double? seconds, string path, bool allowZero)
    {
        if (seconds is not { } s)
        {
            return null;
        }

        if (double.IsNaN(s) || s < 0 || (!allowZero && s == 0) || s > TimeSpan.FromDays(1).TotalSeconds)
        {
            Problem(path, $"{s} s is out of range ({(allowZero ? "0" : "more than 0")} to 86400 s)");
            return null;
        }

        return TimeSpan.FromSeconds(s);
    }

    private void Problem(string path, string problem) => _problems.Add(new ConfigurationProblem(path, problem));
}
