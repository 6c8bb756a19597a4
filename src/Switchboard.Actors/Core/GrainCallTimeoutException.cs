namespace Switchboard.Actors;

/// <summary>A grain call that got no answer within its response timeout.</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException(GrainId grainId, string interfaceName, string methodName, TimeSpan timeout)
        : base($"Call to {interfaceName}.{methodName} on grain {grainId} got no response within {timeout.TotalSeconds:0.###} s.")
    {
        GrainId = grainId;
        MethodName = methodName;
        Timeout = timeout;
    }

    public GrainId GrainId { get; }
    public string MethodName { get; }
    public TimeSpan Timeout { get; }
}
