using System.Collections.Immutable;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.Queues;

/// <summary>A queue's routing rules, as configured; immutable. Defaults are the ones written here.</summary>
[GenerateSerializer, Immutable, Alias("sb.QueueDefinition")]
public sealed record QueueDefinition(string QueueId)
{
    [Id(0)]
    public string Name { get; init; } = QueueId;

    [Id(1)]
    public StrategyKind Strategy { get; init; } = StrategyKind.LongestIdle;

    /// <summary>T of the service level: answered within it counts as in service. Default 20 s (80/20).</summary>
    [Id(2)]
    public TimeSpan ServiceLevelThreshold { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest a call may wait before <see cref="MaxWaitAction"/>; null for no limit.</summary>
    [Id(3)]
    public TimeSpan? MaxWait { get; init; }

    [Id(4)]
    public MaxWaitAction MaxWaitAction { get; init; } = MaxWaitAction.None;

    /// <summary>Where calls go on max wait with <see cref="MaxWaitAction.Overflow"/>.</summary>
    [Id(5)]
    public string? OverflowQueueId { get; init; }

    /// <summary>
    /// Instead of <see cref="OverflowQueueId"/>: an external number (E.164) the adapter transfers the caller to on
    /// max wait with <see cref="MaxWaitAction.Overflow"/>; the call is then finished here (timed out, overflowed).
    /// </summary>
    [Id(6)]
    public string? OverflowNumber { get; init; }

    /// <summary>Relaxation steps, in increasing <see cref="RelaxationStep.After"/>.</summary>
    [Id(7)]
    public ImmutableArray<RelaxationStep> Relaxation { get; init; } = [];

    [Id(8)]
    public VendorPolicy VendorPolicy { get; init; } = VendorPolicy.AllowAll;

    /// <summary>Wrap-up after a call of this queue is forced to end after this. Default 60 s.</summary>
    [Id(9)]
    public TimeSpan MaxWrapUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An offer rings this long before it counts as missed. Default 20 s (the proto's ring_timeout).</summary>
    [Id(10)]
    public TimeSpan OfferTimeout { get; init; } = DefaultOfferTimeout;

    /// <summary>The ring timeout of a queue that sets none: 20 s, as admin.proto and telephony_adapter.proto say.</summary>
    public static readonly TimeSpan DefaultOfferTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Optional priority aging; null for none.</summary>
    [Id(11)]
    public PriorityAging? Aging { get; init; }

    /// <summary>Priority added per <see cref="CustomerTier"/>, indexed by the tier's value. Default 0, 1, 2, 3.</summary>
    [Id(12)]
    public ImmutableArray<int> TierPriorityBoost { get; init; } = [0, 1, 2, 3];

    /// <summary>
    /// Calls of these tiers are offered to in-house agents first (<see cref="Agents.AgentProfile.InHouse"/>), before the
    /// vendor policy's preference order; outsourced agents still take them when no in-house agent is free. Default none.
    /// </summary>
    [Id(13)]
    public ImmutableArray<CustomerTier> InHouseFirstTiers { get; init; } = [];

    /// <summary>A repeat caller waits this long for the agent who handled it last before anyone may take it. Default 10 s.</summary>
    [Id(14)]
    public TimeSpan RepeatCallerWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The handle time EWT assumes until the queue has measured its own. Default 180 s.</summary>
    [Id(15)]
    public TimeSpan DefaultHandleTime { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>The proficiency a call's language asks of the agent's skill of that name. Default 1.</summary>
    [Id(16)]
    public int LanguageMinProficiency { get; init; } = 1;

    /// <summary>A closed queue refuses new calls (transfers included); the calls already in it are still served.</summary>
    [Id(17)]
    public bool Closed { get; init; }

    /// <summary>The most calls that may wait in the queue; one more offer is refused. 0: no limit.</summary>
    [Id(18)]
    public int MaxCalls { get; init; }

    /// <summary>Skills every call of the queue needs; merged into each offered call's own (the higher minimum wins).</summary>
    [Id(19)]
    public ImmutableArray<SkillRequirement> RequiredSkills { get; init; } = [];

    /// <summary>The priority (0-100) of a call offered without one. Default 0: below every call that sets one.</summary>
    [Id(20)]
    public int DefaultPriority { get; init; }

    /// <summary>An agent must give a disposition code to finish wrap-up of a call of this queue.</summary>
    [Id(21)]
    public bool DispositionRequired { get; init; }

    /// <summary>The service-level target shown against the figure (and the default of staffing questions). Default 0.8.</summary>
    [Id(22)]
    public double ServiceLevelTarget { get; init; } = 0.8;

    /// <summary>Abandons within this wait are short ones (abandon rate may leave them out). Default 5 s; zero: none.</summary>
    [Id(23)]
    public TimeSpan ShortAbandonThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each waiting caller hears their place again this often; null: the silo's <c>RoutingOptions.PositionAnnouncementInterval</c>.</summary>
    [Id(24)]
    public TimeSpan? PositionAnnouncementInterval { get; init; }

    /// <summary>The priority a call starts with in this queue: its own (or the queue's default) plus its tier's boost.</summary>
    public int BasePriorityOf(Call call)
    {
        var tier = (int)call.Tier;
        var boost = !TierPriorityBoost.IsDefaultOrEmpty && tier < TierPriorityBoost.Length ? TierPriorityBoost[tier] : 0;
        return (call.Priority > 0 ? call.Priority : DefaultPriority) + boost;
    }

    /// <summary>The call's own skills with the queue's required skills merged in; the higher minimum wins.</summary>
    public ImmutableArray<SkillRequirement> SkillsFor(ImmutableArray<SkillRequirement> callSkills)
    {
        if (RequiredSkills.IsDefaultOrEmpty)
        {
            return callSkills.IsDefault ? [] : callSkills;
        }

        var merged = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var requirement in RequiredSkills)
        {
            merged[requirement.Skill] = requirement.MinProficiency;
        }

        foreach (var requirement in callSkills.IsDefault ? [] : callSkills)
        {
            merged[requirement.Skill] = Math.Max(requirement.MinProficiency, merged.GetValueOrDefault(requirement.Skill));
        }

        return [.. merged.Select(p => new SkillRequirement(p.Key, p.Value))];
    }
}
