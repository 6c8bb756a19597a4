namespace Switchboard.Actors;

/// <summary>Marker for grain interfaces. Use one of the keyed forms: string, Guid or integer.</summary>
public interface IGrain : IAddressable
{
}
