namespace Switchboard.Routing.Configuration;

// The file's shape, as both YAML (camelCase) and JSON deserialize it. Everything is nullable and loosely
// typed (strings for enums) so that validation, not the parser, reports what is wrong and where.
#pragma warning disable CA1812 // Instantiated by the deserializers.

internal sealed class CenterFile
{
    public List<string?>? Skills { get; set; }

    public List<string?>? ReasonCodes { get; set; }

    public List<string?>? Dispositions { get; set; }

    public List<string?>? ProductiveReasonCodes { get; set; }

    public Dictionary<string, string>? SkillNames { get; set; }

    public Dictionary<string, string>? ReasonCodeNames { get; set; }

    public List<VendorEntry?>? Vendors { get; set; }

    public List<TeamEntry?>? Teams { get; set; }

    public List<QueueEntry?>? Queues { get; set; }

    public List<AgentEntry?>? Agents { get; set; }
}

internal sealed class VendorEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public bool? InHouse { get; set; }
}

internal sealed class TeamEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Vendor { get; set; }

    public string? Leader { get; set; }
}

internal sealed class QueueEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Strategy { get; set; }

    public bool? Closed { get; set; }

    public int? MaxCalls { get; set; }

    public Dictionary<string, int>? RequiredSkills { get; set; }

    public int? DefaultPriority { get; set; }

    public bool? DispositionRequired { get; set; }

    public double? ServiceLevelSeconds { get; set; }

    public double? ServiceLevelTarget { get; set; }

    public double? ShortAbandonSeconds { get; set; }

    public double? PositionAnnouncementSeconds { get; set; }

    public MaxWaitEntry? MaxWait { get; set; }

    public OverflowEntry? Overflow { get; set; }

    public double? MaxWrapUpSeconds { get; set; }

    public double? OfferTimeoutSeconds { get; set; }

    public double? RepeatCallerWaitSeconds { get; set; }

    public double? DefaultHandleTimeSeconds { get; set; }

    public AgingEntry? Aging { get; set; }

    public VendorPolicyEntry? Vendors { get; set; }

    public List<RelaxationEntry?>? Relaxation { get; set; }

    public Dictionary<string, int>? TierBoost { get; set; }

    public List<string?>? InHouseFirst { get; set; }
}

internal sealed class MaxWaitEntry
{
    public double? Seconds { get; set; }

    public string? Action { get; set; }
}

internal sealed class OverflowEntry
{
    public string? Queue { get; set; }

    public string? Number { get; set; }
}

internal sealed class AgingEntry
{
    public double? EverySeconds { get; set; }

    public int? MaxBoost { get; set; }

    public int? Step { get; set; }
}

internal sealed class VendorPolicyEntry
{
    public List<string?>? Allow { get; set; }

    public List<string?>? Prefer { get; set; }

    public List<string?>? Forbid { get; set; }
}

internal sealed class RelaxationEntry
{
    public double? AfterSeconds { get; set; }

    public int? ProficiencyReduction { get; set; }

    public bool? IgnoreLanguage { get; set; }

    public List<string?>? Vendors { get; set; }

    public List<string?>? Queues { get; set; }
}

internal sealed class AgentEntry
{
    public string? Id { get; set; }

    public string? Team { get; set; }

    public string? Name { get; set; }

    public bool? Disabled { get; set; }

    public Dictionary<string, int>? Skills { get; set; }

    public Dictionary<string, int>? Queues { get; set; }
}
