using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>
/// The transport ideal: a bare Kestrel h2c handler that answers a unary echo with the request's bytes and a
/// <c>grpc-status: 0</c> trailer, with no parsing, routing or gRPC library. Grpc.AspNetCore's overhead is
/// what it adds on top of this.
/// </summary>
internal sealed class RawKestrelEchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RawKestrelEchoServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<RawKestrelEchoServer> StartAsync()
    {
        // No configuration file is watched (reload on change watches the working directory's whole tree).
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(EchoAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RawKestrelEchoServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task EchoAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        context.Response.ContentType = "application/grpc";
        foreach (var segment in result.Buffer)
        {
            context.Response.BodyWriter.Write(segment.Span);
        }

        reader.AdvanceTo(result.Buffer.End);
        context.Features.Get<IHttpResponseTrailersFeature>()!.Trailers["grpc-status"] = "0";
    }
}
