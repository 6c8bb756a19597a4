using System.Collections.Immutable;

namespace Switchboard.Routing.Queues;

/// <summary>
/// One ring of the bullseye: once a call has waited <paramref name="After"/>, it accepts proficiency
/// <paramref name="ProficiencyReduction"/> below what it asks (never below 1), agents of
/// <paramref name="AdditionalVendors"/>, and agents of <paramref name="OverflowQueues"/> (agents who serve those
/// queues but not this one); with <paramref name="IgnoreLanguage"/>, agents without the caller's language too (the
/// call's other skills still apply). Steps add up: a call past two steps has both.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.RelaxationStep")]
public sealed record RelaxationStep(
    TimeSpan After,
    int ProficiencyReduction,
    ImmutableArray<string> AdditionalVendors,
    ImmutableArray<string> OverflowQueues,
    bool IgnoreLanguage = false);
