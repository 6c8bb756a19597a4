namespace Switchboard.Actors;

/// <summary>A grain whose activation failed: its constructor, state read or OnActivateAsync threw.</summary>
public sealed class GrainActivationException : Exception
{
    public GrainActivationException(GrainId grainId, Exception inner)
        : base($"Activation of grain {grainId} failed: {inner.Message}", inner)
    {
        GrainId = grainId;
    }

    public GrainId GrainId { get; }
}
