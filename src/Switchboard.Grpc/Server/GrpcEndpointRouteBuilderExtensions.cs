using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Grpc.Server;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    internal const string LoggerCategory = "Switchboard.Grpc.Server";

    /// <summary>
    /// Serves <paramref name="definition"/>: one POST endpoint per method at <c>/package.Service/Method</c>,
    /// plus (once) a catch-all that answers other gRPC paths with UNIMPLEMENTED.
    /// </summary>
    /// <exception cref="InvalidOperationException">When <c>services.AddGrpcServer()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddGrpcServer() before mapping gRPC services.");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        var runtime = new GrpcServerRuntime(options, logger);

        registry.Add(definition);
        var builders = new List<IEndpointConventionBuilder>(definition.Methods.Count);
        foreach (var method in definition.Methods)
        {
            RequestDelegate handle = http => method.HandleAsync(http, runtime);
            builders.Add(endpoints.MapMethods(method.FullName, [HttpMethods.Post], handle)
                .WithDisplayName($"gRPC {method.FullName}"));
        }

        return new CompositeConventionBuilder(builders);
    }

    /// <summary>
    /// Serves the definition that <paramref name="bind"/> makes from a <typeparamref name="TService"/> resolved
    /// from the container once, at map time (register it as a singleton): <c>app.MapGrpcService&lt;AgentDesk&gt;(d =&gt; d.Definition())</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, Func<TService, GrpcServiceDefinition> bind)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(bind);
        return endpoints.MapGrpcService(bind(endpoints.ServiceProvider.GetRequiredService<TService>()));
    }

    /// <summary>Applies conventions (authorization, metadata) to every method endpoint of a service.</summary>
    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }
    }
}
