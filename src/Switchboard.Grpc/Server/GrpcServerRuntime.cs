using Microsoft.Extensions.Logging;

namespace Switchboard.Grpc.Server;

/// <summary>What every call of a mapped method shares: resolved once at map time, not per call.</summary>
internal sealed class GrpcServerRuntime(GrpcServerOptions options, ILogger logger)
{
    public GrpcServerOptions Options { get; } = options;

    public ILogger Logger { get; } = logger;
}
