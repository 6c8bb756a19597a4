using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Grpc;
using Switchboard.Grpc.Server;

namespace Switchboard.Benchmarks.Grpc;

/// <summary>The Switchboard side of the echo service in tests/interop/echo.proto, on Kestrel h2c.</summary>
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
        builder.Services.AddGrpcServer();
        builder.WebHost.ConfigureKestrel(k => k.ConfigureForGrpc().ListenGrpc(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGrpcService(GrpcServiceDefinition.CreateBuilder("switchboard.bench.Echo")
            .AddUnaryMethod<BytesValue, BytesValue>("Unary", BytesValue.Parser, static (request, _) => Task.FromResult(request))
            .AddServerStreamingMethod<UInt32Value, BytesValue>("ServerStream", UInt32Value.Parser, StreamAsync)
            .Build());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task StreamAsync(UInt32Value request, IServerStreamWriter<BytesValue> responses, ServerCallContext context)
    {
        var message = new BytesValue { Value = StreamPayload };
        for (var i = 0u; i < request.Value; i++)
        {
            await responses.WriteAsync(message);
        }
    }
}
