using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Bench;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>The echo service of tests/interop/echo.proto on Grpc.AspNetCore, on Kestrel h2c (as the silo serves gRPC).</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private static readonly ByteString StreamPayload = ByteString.CopyFrom(Enumerable.Repeat((byte)7, 100).ToArray());

    private readonly WebApplication _app;

    private EchoServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<EchoServer> StartAsync()
    {
        // No configuration file is watched (reload on change watches the working directory's whole tree).
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange", "false"]);
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class EchoService : Echo.EchoBase
    {
        public override Task<BytesValue> Unary(BytesValue request, ServerCallContext context) => Task.FromResult(request);

        public override async Task ServerStream(UInt32Value request, IServerStreamWriter<BytesValue> responseStream, ServerCallContext context)
        {
            var message = new BytesValue { Value = StreamPayload };
            for (var i = 0u; i < request.Value; i++)
            {
                await responseStream.WriteAsync(message);
            }
        }
    }
}
