namespace Switchboard.Routing.Staffing;

/// <summary>
/// Erlang C staffing for one interval: load in erlangs, agents needed for the target, agents logged in,
/// <see cref="Gap"/> = needed - logged in (positive: short-staffed), and the service level the logged-in
/// agents would achieve (0 when they cannot keep up).
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.StaffingGap")]
public sealed record StaffingGap(double OfferedLoad, int AgentsNeeded, int AgentsLoggedIn, int Gap, double ServiceLevelWithLoggedIn);
