using Microsoft.Extensions.Logging;

namespace Switchboard.Silo.Storage;

/// <summary>Source-generated log messages of the stores; event ids 2100-2199 are the storage layer's.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Store '{Store}' ready at {Connection}")]
    public static partial void Ready(ILogger logger, string store, string connection);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Trace, Message = "Store '{Store}' committed a batch of {Count} writes")]
    public static partial void BatchCommitted(ILogger logger, string store, int count);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Store '{Store}' failed to commit a batch of {Count} writes; all were rolled back")]
    public static partial void BatchFailed(ILogger logger, Exception error, string store, int count);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Store '{Store}' refused a write to {Target}: {Reason}")]
    public static partial void Refused(ILogger logger, string store, string target, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Store '{Store}' stopped after flushing its pending writes")]
    public static partial void Stopped(ILogger logger, string store);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "Store '{Store}' cannot be reached at {Connection}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string store, string connection, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Store '{Store}': background WAL checkpoint failed: {Reason}")]
    public static partial void CheckpointFailed(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Store '{Store}': schema {Script} applied at {Connection}")]
    public static partial void SchemaApplied(ILogger logger, string store, string script, string connection);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Store '{Store}': batch of {Count} writes failed (attempt {Attempt} of {Attempts}), retrying in {Delay}: {Reason}")]
    public static partial void Retrying(ILogger logger, string store, int count, int attempt, int attempts, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void PreviousBuildData(ILogger logger, string message);
}
