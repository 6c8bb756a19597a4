using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel server on a free loopback port: an h2c endpoint and, on request, an HTTP/1.1 one.</summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestHost(WebApplication app, Uri address, Uri? http1Address)
    {
        _app = app;
        Address = address;
        Http1Address = http1Address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    public Uri? Http1Address { get; }

    public int Port => Address.Port;

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GrpcTestHost> StartAsync(
        Action<IEndpointRouteBuilder> map,
        Action<GrpcServerOptions>? configure = null,
        bool withHttp1Endpoint = false,
        Action<IServiceCollection>? services = null)
    {
        // No configuration file is watched (reload on change watches the working directory's whole tree).
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.Services.AddGrpcServer(configure);
        services?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ConfigureForGrpc();
            kestrel.ListenGrpc(IPAddress.Loopback, 0);
            if (withHttp1Endpoint)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
        return new GrpcTestHost(app, addresses[0], withHttp1Endpoint ? addresses[1] : null);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
