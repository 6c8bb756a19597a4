using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Gateway.Hosting;

/// <summary>The gRPC services of <c>switchboard.v1</c> and what they need, registered and mapped together.</summary>
internal static class GatewayServices
{
    internal static void Add(IServiceCollection services)
    {
    }

    internal static IEnumerable<Grpc.Server.GrpcServiceDefinition> Definitions(IServiceProvider services)
    {
        yield break;
    }
}
