using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Grpc.Client;
using Switchboard.Grpc.Health;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Switchboard.Grpc.Tests.Health;

/// <summary>grpc.health.v1.Health over the status table the host sets.</summary>
public sealed class HealthServiceTests : IAsyncLifetime
{
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Check =
        new(MethodType.Unary, "grpc.health.v1.Health", "Check", HealthCheckResponse.Parser);

    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Watch =
        new(MethodType.ServerStreaming, "grpc.health.v1.Health", "Watch", HealthCheckResponse.Parser);

    private GrpcTestHost _host = null!;

    private GrpcHealthService Health => _host.Services.GetRequiredService<GrpcHealthService>();

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(e => e.MapGrpcHealthService());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Check_of_the_whole_server_answers_serving()
    {
        var response = await _host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest());

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_of_an_unknown_service_answers_not_found()
    {
        var error = await ExpectRpcErrorAsync(() => _host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "switchboard.v1.Nope" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Check_answers_the_status_the_host_set()
    {
        Health.SetStatus("switchboard.v1.Admin", ServingStatus.NotServing);

        var response = await _host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "switchboard.v1.Admin" });

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Watch_sends_the_current_status_then_each_change()
    {
        Health.SetStatus("switchboard.v1.Wallboard", ServingStatus.Serving);
        using var call = _host.Channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest { Service = "switchboard.v1.Wallboard" });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        Health.SetStatus("switchboard.v1.Wallboard", ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Watch_of_an_unknown_service_sends_service_unknown_and_stays_open_for_its_arrival()
    {
        using var call = _host.Channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest { Service = "switchboard.v1.Later" });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);

        Health.SetStatus("switchboard.v1.Later", ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task When_the_application_stops_watchers_see_not_serving_and_their_stream_ends()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcHealthService());
        using var call = host.Channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest());
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.NotServing, (await host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task A_stopping_server_never_reports_serving_again()
    {
        Health.EnterShutdown();
        Health.SetStatus(string.Empty, ServingStatus.Serving);

        var response = await _host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest());

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Clearing_a_status_makes_check_answer_not_found()
    {
        Health.SetStatus("switchboard.v1.Gone", ServingStatus.Serving);
        Health.ClearStatus("switchboard.v1.Gone");

        var error = await ExpectRpcErrorAsync(() => _host.Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "switchboard.v1.Gone" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
