namespace Switchboard.Routing.Configuration;

/// <summary>
/// What a center keeps beside a reason code's id: the name desks and boards show, and for a not-ready reason
/// whether its time counts as productive (training, coaching) in adherence reports.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.ReasonCodeDetails")]
public sealed record ReasonCodeDetails(string Name, bool Productive = false);
