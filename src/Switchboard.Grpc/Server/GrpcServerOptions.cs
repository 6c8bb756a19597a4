namespace Switchboard.Grpc.Server;

/// <summary>Options of the gRPC server, bound with <c>services.AddGrpcServer(o => ...)</c>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent, in bytes; larger ones fail the call with RESOURCE_EXHAUSTED. Default unlimited.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>
    /// When true, a handler exception's message is sent as the UNKNOWN status detail. Off by default so
    /// internals never leak to callers; turn on only in development.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }
}
