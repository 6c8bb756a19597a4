using Switchboard.Testing;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using Switchboard.Grpc;
using Switchboard.Grpc.Client;

namespace Switchboard.Gateway.Tests.Silo;

public sealed class SiloEndpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("switchboard-silo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_silo_serves_grpc_and_http_on_the_ports_it_is_given_with_health_metrics_and_a_development_admin_key()
    {
        var grpcPort = FreePorts.Next();
        var httpPort = FreePorts.Next();
        await using var silo = SiloProcess.Start(_folder, "--store", "memory", "--grpc-port", grpcPort.ToString(), "--http-port", httpPort.ToString());
        await silo.WaitForOutputAsync("Switchboard silo started", TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var health = await http.GetAsync("/healthz");
        var metrics = await http.GetAsync("/metrics");
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var check = new Method<HealthCheckRequest, HealthCheckResponse>(MethodType.Unary, "grpc.health.v1.Health", "Check", HealthCheckResponse.Parser);
        var serving = await channel.AsyncUnaryCall(check, new HealthCheckRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)));
        var desk = await channel.AsyncUnaryCall(check, new HealthCheckRequest { Service = "switchboard.v1.AgentDesk" }, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("SERVING\n", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, desk.Status);
        Assert.Contains("development admin key for this run: sb-dev-admin-", silo.Output);

        silo.Interrupt();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Gateway drained", silo.Output);
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
