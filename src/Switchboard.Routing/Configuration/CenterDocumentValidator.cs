using System.Collections.Immutable;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// Validates a whole center document after a run-time change, as the file loader validates a file: ids,
/// references, ranges. Returns the configuration, or the problems (paths like <c>queues[billing].overflow</c>).
/// </summary>
internal static class CenterDocumentValidator
{
    public static CenterConfiguration? Validate(CenterDocument d, List<ConfigurationProblem> problems)
    {
        var skills = Unique(d.Skills, "skills", problems);
        var reasons = Unique(d.ReasonCodes, "reasonCodes", problems);
        var vendors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in d.Vendors)
        {
            Id(v.VendorId, $"vendors[{v.VendorId}]", "vendor", vendors, problems);
        }

        var teamVendor = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in d.Teams)
        {
            var path = $"teams[{t.TeamId}]";
            if (Id(t.TeamId, path, "team", null, problems) && !teamVendor.TryAdd(t.TeamId, t.VendorId))
            {
                problems.Add(new(path, $"duplicate team id '{t.TeamId}'"));
            }

            if (!vendors.Contains(t.VendorId))
            {
                problems.Add(new($"{path}.vendor", $"unknown vendor '{t.VendorId}'"));
            }
        }

        var queues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in d.Queues)
        {
            Id(q.QueueId, $"queues[{q.QueueId}]", "queue", queues, problems);
        }

        foreach (var q in d.Queues)
        {
            ValidateQueue(q, queues, vendors, problems);
        }

        var agents = new HashSet<string>(StringComparer.Ordinal);
        var profiles = ImmutableArray.CreateBuilder<Agents.AgentProfile>();
        foreach (var a in d.Agents)
        {
            var path = $"agents[{a.AgentId}]";
            Id(a.AgentId, path, "agent", agents, problems);
            if (!teamVendor.TryGetValue(a.TeamId ?? "", out var vendor))
            {
                problems.Add(new($"{path}.team", $"unknown team '{a.TeamId}'"));
                continue;
            }

            if (!string.IsNullOrEmpty(a.VendorId) && !string.Equals(a.VendorId, vendor, StringComparison.Ordinal))
            {
                problems.Add(new($"{path}.vendor", $"vendor '{a.VendorId}' is not the vendor '{vendor}' of team '{a.TeamId}'"));
            }

            foreach (var (skill, proficiency) in a.Skills)
            {
                if (!skills.Contains(skill))
                {
                    problems.Add(new($"{path}.skills.{skill}", $"unknown skill '{skill}' (declare it under skills)"));
                }
                else if (proficiency is < 1 or > 10)
                {
                    problems.Add(new($"{path}.skills.{skill}", $"proficiency {proficiency} is outside 1-10"));
                }
            }

            foreach (var queue in a.Queues.Keys)
            {
                if (!queues.Contains(queue))
                {
                    problems.Add(new($"{path}.queues.{queue}", $"unknown queue '{queue}'"));
                }
            }

            profiles.Add(a.ToProfile(vendor));
        }

        var dispositions = d.Dispositions.IsDefault ? [] : d.Dispositions;
        foreach (var code in Unique(dispositions, "dispositions", problems))
        {
            if (reasons.Contains(code))
            {
                problems.Add(new($"dispositions[{code}]", $"'{code}' is already a not-ready reason code: a code is one or the other"));
            }
        }

        foreach (var q in d.Queues)
        {
            foreach (var requirement in q.RequiredSkills.IsDefault ? [] : q.RequiredSkills)
            {
                if (!skills.Contains(requirement.Skill))
                {
                    problems.Add(new($"queues[{q.QueueId}].requiredSkills.{requirement.Skill}", $"unknown skill '{requirement.Skill}' (declare it under skills)"));
                }
            }
        }

        return problems.Count > 0
            ? null
            : new CenterConfiguration(d.Skills, d.ReasonCodes, d.Vendors, d.Teams, d.Queues, profiles.ToImmutable(), dispositions, d.SkillNames, d.ReasonCodeDetails);
    }

    private static void ValidateQueue(QueueDefinition q, HashSet<string> queues, HashSet<string> vendors, List<ConfigurationProblem> problems)
    {
        var path = $"queues[{q.QueueId}]";
        Positive(q.ServiceLevelThreshold, $"{path}.serviceLevelThreshold", problems);
        Positive(q.OfferTimeout, $"{path}.offerTimeout", problems);
        Positive(q.DefaultHandleTime, $"{path}.defaultHandleTime", problems);
        if (q.MaxWrapUp < TimeSpan.Zero)
        {
            problems.Add(new($"{path}.maxWrapUp", $"{q.MaxWrapUp} is negative"));
        }

        if (q.RepeatCallerWait < TimeSpan.Zero)
        {
            problems.Add(new($"{path}.repeatCallerWait", $"{q.RepeatCallerWait} is negative"));
        }

        if (q.OverflowQueueId is { } overflow)
        {
            if (!queues.Contains(overflow))
            {
                problems.Add(new($"{path}.overflow", $"unknown queue '{overflow}'"));
            }
            else if (string.Equals(overflow, q.QueueId, StringComparison.Ordinal))
            {
                problems.Add(new($"{path}.overflow", $"queue '{q.QueueId}' cannot overflow to itself"));
            }
        }

        if (q.MaxWait is { } maxWait && maxWait <= TimeSpan.Zero)
        {
            problems.Add(new($"{path}.maxWait", $"{maxWait} is not positive"));
        }

        if (q.MaxWaitAction != MaxWaitAction.None && q.MaxWait is null)
        {
            problems.Add(new($"{path}.maxWait", $"action {q.MaxWaitAction} needs a maximum wait"));
        }

        if (q.MaxWaitAction == MaxWaitAction.Overflow && q.OverflowQueueId is null && q.OverflowNumber is null)
        {
            problems.Add(new($"{path}.overflow", "is required when the max-wait action is overflow"));
        }

        if (q.OverflowNumber is { } number && (q.OverflowQueueId is not null || !PhoneNumber.IsE164(number)))
        {
            problems.Add(new($"{path}.overflow.number", q.OverflowQueueId is not null
                ? "cannot be set beside an overflow queue; give one"
                : $"'{number}' is not an E.164 number (+ and 7-15 digits)"));
        }

        if (q.Aging is { } aging && (aging.Every <= TimeSpan.Zero || aging.MaxBoost < 0 || aging.Step < 1))
        {
            problems.Add(new($"{path}.aging", "every must be positive, maxBoost not negative and step at least 1"));
        }

        QueueLimits.Check(q, path, problems);

        References(q.VendorPolicy.Allowed, $"{path}.vendors.allow", "vendor", vendors, problems);
        References(q.VendorPolicy.Preferred, $"{path}.vendors.prefer", "vendor", vendors, problems);
        References(q.VendorPolicy.Forbidden, $"{path}.vendors.forbid", "vendor", vendors, problems);
        var previous = TimeSpan.MinValue;
        var steps = q.Relaxation.IsDefault ? [] : q.Relaxation;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            var at = $"{path}.relaxation[{i}]";
            if (step.After < previous)
            {
                problems.Add(new($"{at}.after", "steps must be in increasing order of their wait"));
            }

            if (step.ProficiencyReduction is < 0 or > 9)
            {
                problems.Add(new($"{at}.proficiencyReduction", $"{step.ProficiencyReduction} is outside 0-9"));
            }

            previous = step.After;
            References(step.AdditionalVendors, $"{at}.vendors", "vendor", vendors, problems);
            References(step.OverflowQueues, $"{at}.queues", "queue", queues, problems);
        }
    }

    private static HashSet<string> Unique(ImmutableArray<string> ids, string path, List<ConfigurationProblem> problems)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids.IsDefault ? [] : ids)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                problems.Add(new(path, "an id is empty"));
            }
            else if (!set.Add(id))
            {
                problems.Add(new($"{path}[{id}]", $"duplicate id '{id}'"));
            }
        }

        return set;
    }

    private static bool Id(string? id, string path, string kind, HashSet<string>? seen, List<ConfigurationProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            problems.Add(new(path, $"a {kind} needs an id"));
            return false;
        }

        if (id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            problems.Add(new(path, $"{kind} id '{id}' must be 1-64 of A-Z a-z 0-9 . _ -"));
            return false;
        }

        if (seen is not null && !seen.Add(id))
        {
            problems.Add(new(path, $"duplicate {kind} id '{id}'"));
            return false;
        }

        return true;
    }

    private static void References(ImmutableArray<string> ids, string path, string kind, HashSet<string> known, List<ConfigurationProblem> problems)
    {
        if (ids.IsDefaultOrEmpty)
        {
            return;
        }

        foreach (var id in ids)
        {
            if (!known.Contains(id))
            {
                problems.Add(new(path, $"unknown {kind} '{id}'"));
            }
        }
    }

    private static void Positive(TimeSpan value, string path, List<ConfigurationProblem> problems)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add(new(path, $"{value} is not positive"));
        }
    }
}
