namespace Switchboard.Actors;

/// <summary>A grain whose identity is a Guid key.</summary>
public interface IGrainWithGuidKey : IGrain
{
}
