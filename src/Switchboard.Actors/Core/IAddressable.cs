namespace Switchboard.Actors;

/// <summary>Something with a grain identity: a grain instance or a grain reference.</summary>
public interface IAddressable
{
}
