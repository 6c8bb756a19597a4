namespace Switchboard.Routing.Configuration;

/// <summary>A vendor: the center's in-house staff (<see cref="InHouse"/>) or an outsourcing partner.</summary>
[GenerateSerializer, Immutable, Alias("sb.VendorDefinition")]
public sealed record VendorDefinition(string VendorId, string Name)
{
    /// <summary>True for the center's own staff.</summary>
    [Id(0)]
    public bool InHouse { get; init; }
}
