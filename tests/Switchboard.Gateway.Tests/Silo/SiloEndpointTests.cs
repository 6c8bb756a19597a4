using Grpc.Core;
using Grpc.Net.Client;
using Switchboard.Testing;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Grpc.Health.V1;
using Grpc.Net.Client.Web;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Silo;

public sealed class SiloEndpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-silo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The silo executable on the in-memory store with the test center, once it has started.</summary>
    private async Task<SiloProcess> StartWithCenterAsync(int grpcPort, int httpPort, params string[] extra)
    {
        var center = Path.Combine(_folder, "center.yaml");
        await File.WriteAllTextAsync(center, TestSilo.CenterYaml);
        var silo = SiloProcess.Start(_folder, ["--store", "memory", "--grpc-port", grpcPort.ToString(), "--http-port", httpPort.ToString(), "--center-file", center, .. extra]);
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));
        return silo;
    }

    [Fact]
    public async Task The_silo_serves_grpc_and_http_on_the_ports_it_is_given_with_health_metrics_and_a_development_admin_key()
    {
        var (grpcPort, httpPort) = (FreePorts.Next(), FreePorts.Next());
        await using var silo = await StartWithCenterAsync(grpcPort, httpPort);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var live = await http.GetAsync("/healthz");
        var ready = await http.GetAsync("/readyz");
        var metrics = await http.GetAsync("/metrics");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var serving = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        var desk = await health.CheckAsync(new HealthCheckRequest { Service = "switchboard.v1.AgentDesk" }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.StartsWith("Healthy\n", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readiness = await ready.Content.ReadAsStringAsync();
        Assert.Contains("gateway: Healthy", readiness);
        Assert.Contains("silo: Healthy", readiness);
        Assert.Contains("store: Healthy", readiness);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, desk.Status);
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await health.CheckAsync(new HealthCheckRequest { Service = "switchboard.v1.Nope" }, deadline: DateTime.UtcNow.AddSeconds(10)));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        // An idle silo exports the switchboard_ series of every configured queue (zeros) and Orleans' own.
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.MediaType);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Matches(@"switchboard_calls_offered_total\{[^}]*switchboard_queue=""billing""[^}]*\} 0", text);
        Assert.Matches(@"switchboard_queue_depth\{[^}]*switchboard_queue=""support""[^}]*\} 0", text);
        Assert.Matches(@"(?m)^orleans_\w+", text);
        Assert.Matches(@"(?m)^switchboard_gateway_offers_refused_total(\{[^}]*\})? 0$", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("kestrel_active_connections", text);

        var key = Regex.Match(silo.Output, @"development admin key for this run: (\S+)").Groups[1].Value;
        Assert.StartsWith("sb-dev-admin-", key);

        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Gateway drained", silo.Output);
    }

    [Fact]
    public async Task Reflection_lists_the_api_to_v1_and_v1alpha_clients_and_grpc_web_serves_a_browser_on_the_http_port()
    {
        var (grpcPort, httpPort) = (FreePorts.Next(), FreePorts.Next());
        await using var silo = await StartWithCenterAsync(grpcPort, httpPort,
            "--Switchboard:Gateway:ApiKeys:0:Key", TestSilo.AdminKey, "--Switchboard:Gateway:ApiKeys:0:Role", "admin");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");

        var v1 = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await v1.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" });
        await v1.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { FileContainingSymbol = "switchboard.v1.TelephonyAdapter" });
        await v1.RequestStream.CompleteAsync();
        Assert.True(await v1.ResponseStream.MoveNext());
        var listed = v1.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.True(await v1.ResponseStream.MoveNext());
        var file = v1.ResponseStream.Current.FileDescriptorResponse;

        var alpha = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await alpha.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await alpha.RequestStream.CompleteAsync();
        Assert.True(await alpha.ResponseStream.MoveNext());
        var listedAlpha = alpha.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        foreach (var service in new[] { "switchboard.v1.TelephonyAdapter", "switchboard.v1.AgentDesk", "switchboard.v1.Wallboard", "switchboard.v1.Admin", "grpc.health.v1.Health" })
        {
            Assert.Contains(service, listed);
            Assert.Contains(service, listedAlpha);
        }
        Assert.NotEmpty(file.FileDescriptorProto);

        // gRPC-Web over HTTP/1.1 on the HTTP port, as a browser sends it.
        using var web = GrpcChannel.ForAddress($"http://127.0.0.1:{httpPort}", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWebText, new HttpClientHandler()) { HttpVersion = HttpVersion.Version11 },
        });
        var queues = await new Contracts.V1.Admin.AdminClient(web).ListQueuesAsync(new ListQueuesRequest(), TestSilo.With(TestSilo.AdminKey));
        Assert.Equal(["billing", "support"], queues.Queues.Select(q => q.Id).Order().ToArray());
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new Contracts.V1.Admin.AdminClient(web).ListQueuesAsync(new ListQueuesRequest(), TestSilo.With(null)));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_port_in_use_is_named_and_the_silo_exits_with_code_2()
    {
        using var squatter = new TcpListener(IPAddress.Any, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var silo = SiloProcess.Start(_folder, "--store", "memory", "--grpc-port", taken.ToString(), "--http-port", FreePorts.Next().ToString());

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains($":{taken}", silo.Output);
        Assert.Contains("--grpc-port", silo.Output);
    }
}
