namespace Switchboard.Routing.Configuration;

/// <summary>A vendor: the center's in-house staff or an outsourcing partner.</summary>
public sealed record VendorDefinition(string VendorId, string Name);
