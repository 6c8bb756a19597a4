namespace Switchboard.Routing.Configuration;

/// <summary>
/// Range checks of a queue's admission, priority and service-level settings, shared by the center file's validator
/// and the run-time change's, so both refuse the same nonsense with the same words. Paths use the file's names.
/// </summary>
internal static class QueueLimits
{
    public const int MaxPriority = 100;

    public static void Check(Queues.QueueDefinition q, string path, List<ConfigurationProblem> problems)
    {
        if (q.MaxCalls < 0)
        {
            problems.Add(new($"{path}.maxCalls", $"{q.MaxCalls} is negative (0 means no limit)"));
        }

        if (q.DefaultPriority is < 0 or > MaxPriority)
        {
            problems.Add(new($"{path}.defaultPriority", $"{q.DefaultPriority} is outside 0-{MaxPriority}"));
        }

        if (double.IsNaN(q.ServiceLevelTarget) || q.ServiceLevelTarget is <= 0 or > 1)
        {
            problems.Add(new($"{path}.serviceLevelTarget", $"{q.ServiceLevelTarget} is outside 0-1 (0.8 is 80%)"));
        }

        if (q.ShortAbandonThreshold < TimeSpan.Zero)
        {
            problems.Add(new($"{path}.shortAbandonSeconds", $"{q.ShortAbandonThreshold.TotalSeconds} s is negative"));
        }

        if (q.PositionAnnouncementInterval is { } interval && interval < TimeSpan.Zero)
        {
            problems.Add(new($"{path}.positionAnnouncementSeconds", $"{interval.TotalSeconds} s is negative"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var requirement in q.RequiredSkills.IsDefault ? [] : q.RequiredSkills)
        {
            var at = $"{path}.requiredSkills.{requirement.Skill}";
            if (!seen.Add(requirement.Skill))
            {
                problems.Add(new(at, $"skill '{requirement.Skill}' is listed twice"));
            }
            else if (requirement.MinProficiency is < 1 or > 10)
            {
                problems.Add(new(at, $"minimum proficiency {requirement.MinProficiency} is outside 1-10"));
            }
        }
    }
}
