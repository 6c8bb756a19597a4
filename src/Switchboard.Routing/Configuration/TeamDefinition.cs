namespace Switchboard.Routing.Configuration;

/// <summary>A team of agents under a team leader; it belongs to one vendor.</summary>
public sealed record TeamDefinition(string TeamId, string Name, string VendorId);
