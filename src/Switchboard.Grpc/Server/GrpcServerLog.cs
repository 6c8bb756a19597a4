using Microsoft.Extensions.Logging;

namespace Switchboard.Grpc.Server;

/// <summary>Source-generated log messages of the server, event ids 4100-4199.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "The handler of {Method} threw an exception; the call was answered with UNKNOWN.")]
    public static partial void HandlerThrew(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "{Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "{Method} passed its deadline of {Deadline:O}; the handler was cancelled.")]
    public static partial void DeadlineExceeded(ILogger logger, string method, DateTime deadline);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "{Method} was cancelled by the client or the connection dropped.")]
    public static partial void ClientCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "Refused a gRPC request over {Protocol} with 426: gRPC needs HTTP/2.")]
    public static partial void UnsupportedProtocol(ILogger logger, string protocol);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Debug, Message = "Refused a request with content-type '{ContentType}' with 415: gRPC needs application/grpc.")]
    public static partial void UnsupportedContentType(ILogger logger, string? contentType);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Debug, Message = "No gRPC method at {Path}; answered UNIMPLEMENTED.")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Debug, Message = "Could not send the status of {Method}; the stream was already gone.")]
    public static partial void StatusNotSent(ILogger logger, string method, Exception exception);
}
