namespace Switchboard.Actors;

/// <summary>A grain whose identity is a string key.</summary>
public interface IGrainWithStringKey : IGrain
{
}
