using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Server;

/// <summary>
/// Answers gRPC requests for services or methods that are not mapped with UNIMPLEMENTED (trailers-only): the last
/// step of the application's pipeline, reached only by requests no endpoint took, so any route of the application
/// wins over it. (It was a catch-all route, /{service}/{method}, until 2026-11-23: as a second candidate for every
/// gRPC path it made routing capture both names for each call, a dictionary and two strings per request.)
/// </summary>
internal sealed class UnimplementedEndpoint(GrpcServiceRegistry registry, ILogger logger)
{
    /// <summary>Puts the answer at the end of every pipeline the host builds.</summary>
    internal sealed class StartupFilter(GrpcServiceRegistry registry, ILoggerFactory loggers) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(new UnimplementedEndpoint(registry, loggers.CreateLogger(GrpcEndpointRouteBuilderExtensions.LoggerCategory)).HandleAsync);
        };
    }

    public Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // Not a gRPC request at all: behave like any unmatched route.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return Task.CompletedTask;
        }

        var path = request.Path.Value ?? string.Empty;
        GrpcServerLog.Unimplemented(logger, path);
        var slash = path.IndexOf('/', 1);
        var service = slash > 1 ? path[1..slash] : string.Empty;
        var detail = registry.IsKnownService(service) ? "Method is unimplemented." : "Service is unimplemented.";
        var headers = http.Response.Headers;
        http.Response.ContentType = GrpcProtocol.ContentType;
        headers[GrpcProtocol.StatusHeader] = "12";
        headers[GrpcProtocol.MessageHeader] = detail;
        return Task.CompletedTask;
    }
}
