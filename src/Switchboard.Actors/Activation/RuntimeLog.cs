using Microsoft.Extensions.Logging;

namespace Switchboard.Actors.Activation;

/// <summary>The runtime's log events, source-generated, with stable ids (1000-1099).</summary>
internal sealed partial class RuntimeLog(ILogger logger)
{
    [LoggerMessage(1000, LogLevel.Debug, "Activating grain {GrainId}")]
    public partial void Activating(GrainId grainId);

    [LoggerMessage(1001, LogLevel.Warning, "Activation of grain {GrainId} failed")]
    public partial void ActivationFailed(Exception exception, GrainId grainId);

    [LoggerMessage(1002, LogLevel.Warning, "OnDeactivateAsync of grain {GrainId} failed")]
    public partial void DeactivationFailed(Exception exception, GrainId grainId);

    [LoggerMessage(1003, LogLevel.Error, "Persisting state of grain {GrainId} on deactivation failed")]
    public partial void StatePersistOnDeactivationFailed(Exception exception, GrainId grainId);

    [LoggerMessage(1004, LogLevel.Warning, "Timer callback of grain {GrainId} failed")]
    public partial void TimerCallbackFailed(Exception exception, GrainId grainId);

    [LoggerMessage(1005, LogLevel.Debug, "Collected {Count} idle activations")]
    public partial void CollectedIdle(int count);

    [LoggerMessage(1006, LogLevel.Error, "Shutdown gave up on {Count} activations still busy after {Timeout}")]
    public partial void ShutdownIncomplete(int count, TimeSpan timeout);
}
