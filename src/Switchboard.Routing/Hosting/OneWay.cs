using Microsoft.Extensions.Logging;

namespace Switchboard.Routing.Hosting;

/// <summary>
/// Fire-and-forget grain calls. Routing grains tell each other things one way wherever waiting for the answer
/// could close a cycle of grains waiting on each other (queue -> call, agent -> call, call -> agent); a failure
/// is logged, never lost silently.
/// </summary>
internal static partial class OneWay
{
    public static void Observe(Task task, ILogger logger)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.ContinueWith(
            static (t, state) => Failed((ILogger)state!, t.Exception!.GetBaseException()),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "A one-way routing message failed")]
    private static partial void Failed(ILogger logger, Exception exception);
}
