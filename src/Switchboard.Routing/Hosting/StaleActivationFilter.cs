using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Switchboard.Routing.Hosting;

/// <summary>
/// Fencing, on the grain's side: a grain call that failed because the grain's state or journal stream moved on under
/// it (<see cref="InconsistentStateException"/>: a stale ETag, or a journal append that does not follow the stream) came
/// from an activation that is not the grain's only writer any more. Nothing of the call was applied; the activation is
/// deactivated so that the next call (the caller's retry, <see cref="StaleActivationRetryFilter"/>) reads the state anew.
/// </summary>
internal sealed partial class StaleActivationFilter(ILogger<StaleActivationFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (InconsistentStateException exception)
        {
            Stale(context.TargetId.ToString(), exception.Message);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "its state or journal was written by another activation"), CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "{Grain} is stale ({Reason}): deactivated; the call is retried on a fresh activation")]
    private partial void Stale(string grain, string reason);
}
