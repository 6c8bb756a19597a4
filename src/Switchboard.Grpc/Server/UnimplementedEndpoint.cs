using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc.Framing;

namespace Switchboard.Grpc.Server;

/// <summary>Answers gRPC requests for services or methods that are not mapped with UNIMPLEMENTED (trailers-only).</summary>
internal sealed class UnimplementedEndpoint(GrpcServiceRegistry registry, ILogger logger)
{
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
