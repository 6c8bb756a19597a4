using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Grpc.Health;

namespace Switchboard.Grpc.Server;

/// <summary>Registers the gRPC server's services.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>Adds the gRPC server (options, service registry, health status) to <paramref name="services"/>.</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddRouting();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcHealthService>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, UnimplementedEndpoint.StartupFilter>());
        return services;
    }
}
