using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Health;

/// <summary>Maps <c>grpc.health.v1.Health</c>.</summary>
public static class GrpcHealthEndpointRouteBuilderExtensions
{
    /// <summary>Serves <c>grpc.health.v1.Health</c> (Check and Watch) over the registered <see cref="GrpcHealthService"/>.</summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.ServiceProvider.GetService<GrpcHealthService>()
            ?? throw new InvalidOperationException("Call services.AddGrpcServer() before mapping the health service.");
        return endpoints.MapGrpcService(health.CreateDefinition());
    }
}
