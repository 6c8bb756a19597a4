using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Reflection;

/// <summary>Maps gRPC server reflection.</summary>
public static class GrpcReflectionEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves <c>grpc.reflection.v1.ServerReflection</c> and <c>grpc.reflection.v1alpha.ServerReflection</c>
    /// over every service mapped on this server; services built from a descriptor also serve their .proto files.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcServer() before mapping the reflection service.");
        var reflection = new GrpcReflectionService(registry);
        var v1 = endpoints.MapGrpcService(reflection.CreateV1Definition());
        var v1Alpha = endpoints.MapGrpcService(reflection.CreateV1AlphaDefinition());
        return new PairConventionBuilder(v1, v1Alpha);
    }

    private sealed class PairConventionBuilder(IEndpointConventionBuilder first, IEndpointConventionBuilder second) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            first.Add(convention);
            second.Add(convention);
        }
    }
}
