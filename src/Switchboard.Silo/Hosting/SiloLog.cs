namespace Switchboard.Silo.Hosting;

/// <summary>The silo executable's log events (ids 9000-9099).</summary>
internal static partial class SiloLog
{
    [LoggerMessage(9000, LogLevel.Information, "Switchboard silo starting; store: {Store}")]
    public static partial void Starting(ILogger logger, string store);

    [LoggerMessage(9001, LogLevel.Information, "Switchboard silo started; press Ctrl+C to stop")]
    public static partial void Started(ILogger logger);

    [LoggerMessage(9002, LogLevel.Critical, "Switchboard silo could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(9003, LogLevel.Information, "Exporting traces and metrics by OTLP to {Endpoint}")]
    public static partial void ExportingTelemetry(ILogger logger, string endpoint);
}
