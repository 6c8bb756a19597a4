using Grpc.Core;
using Grpc.Net.Client;
using Switchboard.Testing;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Switchboard.Silo.Hosting;

namespace Switchboard.Gateway.Tests.Infrastructure;

/// <summary>
/// A whole silo (runtime, in-memory store, routing, gateway) hosted in the test process on free 127.0.0.1
/// ports, composed exactly as the executable composes it, with a small center and one API key per role.
/// </summary>
internal sealed class TestSilo : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-000000000001";
    public const string AdapterKey = "test-adapter-key-00000000001";
    public const string OtherAdapterKey = "test-adapter-key-00000000002";
    public const string AcmeSupervisorKey = "test-acme-supervisor-000001";
    public const string BravoSupervisorKey = "test-bravo-supervisor-00001";

    /// <summary>Vendors acme (team t-acme: a-1, a-2) and bravo (team t-bravo: b-1); queues billing and support.</summary>
    public const string CenterYaml = """
        skills: [billing, support, en]
        reasonCodes: [break, lunch]
        vendors:
          - id: acme
            name: Acme
          - id: bravo
            name: Bravo
        teams:
          - id: t-acme
            name: Acme A
            vendor: acme
          - id: t-bravo
            name: Bravo A
            vendor: bravo
        queues:
          - id: billing
            maxWrapUpSeconds: 60
            offerTimeoutSeconds: 60
          - id: support
            maxWrapUpSeconds: 60
            offerTimeoutSeconds: 60
        agents:
          - id: a-1
            team: t-acme
            skills: { billing: 5, en: 9 }
            queues: { billing: 5 }
          - id: a-2
            team: t-acme
            skills: { billing: 5, support: 5 }
            queues: { billing: 5, support: 5 }
          - id: b-1
            team: t-bravo
            skills: { support: 5 }
            queues: { support: 5 }
        """;

    private readonly WebApplication _app;
    private readonly string _folder;
    private int _disposed;

    private TestSilo(WebApplication app, string folder, int grpcPort, int httpPort)
    {
        _app = app;
        _folder = folder;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static string AgentKey(string agentId) => $"test-agent-key-{agentId}-0000000";

    public static async Task<TestSilo> StartAsync(TimeSpan? disconnectGrace = null, params string[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("switchboard-gateway-").FullName;
        var center = Path.Combine(folder, "center.yaml");
        await File.WriteAllTextAsync(center, CenterYaml);
        var grpcPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        var args = new List<string>
        {
            "--store", "memory",
            "--grpc-port", grpcPort.ToString(),
            "--http-port", httpPort.ToString(),
            "--Switchboard:Gateway:ListenAddress", "127.0.0.1",
            "--Switchboard:Routing:CenterFile", center,
            "--Switchboard:Routing:DeskDisconnectGrace", (disconnectGrace ?? TimeSpan.FromSeconds(30)).ToString(),
            "--Logging:LogLevel:Default", "Warning",
        };
        var keys = new List<(string Key, string Role, string? Scope, string? Id)>
        {
            (AdminKey, "admin", null, null),
            (AdapterKey, "adapter", "AdapterId", "fs-1"),
            (OtherAdapterKey, "adapter", "AdapterId", "fs-2"),
            (AcmeSupervisorKey, "supervisor", "VendorId", "acme"),
            (BravoSupervisorKey, "supervisor", "VendorId", "bravo"),
            (AgentKey("a-1"), "agent", "AgentId", "a-1"),
            (AgentKey("a-2"), "agent", "AgentId", "a-2"),
            (AgentKey("b-1"), "agent", "AgentId", "b-1"),
        };
        for (var i = 0; i < keys.Count; i++)
        {
            args.AddRange([$"--Switchboard:Gateway:ApiKeys:{i}:Key", keys[i].Key, $"--Switchboard:Gateway:ApiKeys:{i}:Role", keys[i].Role]);
            if (keys[i].Scope is { } scope)
            {
                args.AddRange([$"--Switchboard:Gateway:ApiKeys:{i}:{scope}", keys[i].Id!]);
            }
        }
        args.AddRange(extra);
        var app = SiloApplication.Build([.. args]);
        await app.StartAsync();
        return new TestSilo(app, folder, grpcPort, httpPort);
    }

    /// <summary>A graceful stop of the silo (as Ctrl+C), keeping the test's channel open.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static CallOptions With(string? key, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", $"Bearer {key}");
        }
        return new CallOptions(headers, DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20)), cancellationToken);
    }

    public Task<TResponse> CallAsync<TRequest, TResponse>(string service, string method, TRequest request, string? key)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Channel.AsyncUnaryCall(Unary<TRequest, TResponse>(service, method), request, With(key)).ResponseAsync;

    public static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string method)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        ChannelCalls.Method<TRequest, TResponse>(MethodType.Unary, service, method);

    public static Method<TRequest, TResponse> Streaming<TRequest, TResponse>(MethodType type, string service, string method)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        ChannelCalls.Method<TRequest, TResponse>(type, service, method);
}
