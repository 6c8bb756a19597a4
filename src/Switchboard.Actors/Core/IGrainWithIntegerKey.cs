namespace Switchboard.Actors;

/// <summary>A grain whose identity is a 64-bit integer key.</summary>
public interface IGrainWithIntegerKey : IGrain
{
}
