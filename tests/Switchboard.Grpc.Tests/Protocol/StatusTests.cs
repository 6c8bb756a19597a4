using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Grpc.Server;
using Switchboard.Grpc.Tests.Infrastructure;
using static Switchboard.Grpc.Tests.Infrastructure.TestServices;

namespace Switchboard.Grpc.Tests.Protocol;

/// <summary>How calls fail: statuses from handlers, exceptions, and unknown services or methods.</summary>
public sealed class StatusTests
{
    [Fact]
    public async Task An_rpc_exception_in_a_handler_reaches_the_client_with_its_code_detail_and_trailers()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (_, _) =>
            throw new RpcException(new Status(StatusCode.NotFound, "queue 'billing' does not exist"), new Metadata { { "x-queue", "billing" } }))));

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("queue 'billing' does not exist", error.Status.Detail);
        Assert.Equal("billing", error.Trailers.GetValue("x-queue"));
    }

    [Fact]
    public async Task A_handler_exception_becomes_unknown_without_leaking_its_message_or_stack()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (_, _) =>
            throw new InvalidOperationException("password=hunter2"))));

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("hunter2", error.Status.Detail);
        Assert.DoesNotContain(" at ", error.Status.Detail);
    }

    [Fact]
    public async Task Detailed_errors_send_the_exception_message_when_enabled()
    {
        await using var host = await GrpcTestHost.StartAsync(
            e => e.MapGrpcService(Echo(unary: (_, _) => throw new InvalidOperationException("agent a7 is offline"))),
            o => o.EnableDetailedErrors = true);

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("agent a7 is offline", error.Status.Detail);
    }

    [Fact]
    public async Task A_handler_that_sets_a_failed_status_fails_the_call_without_throwing()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(unary: (_, context) =>
        {
            context.Status = new Status(StatusCode.FailedPrecondition, "agent is in wrap-up");
            return Task.FromResult(new SimpleResponse());
        })));

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(Unary, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("agent is in wrap-up", error.Status.Detail);
    }

    [Fact]
    public async Task A_failure_after_streamed_messages_arrives_after_those_messages()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo(serverStream: async (_, responses, _) =>
        {
            await responses.WriteAsync(new SimpleResponse());
            await responses.WriteAsync(new SimpleResponse());
            throw new RpcException(new Status(StatusCode.Aborted, "partition moved"));
        })));
        using var call = host.Channel.AsyncServerStreamingCall(ServerStream, Request("m"));

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.True(await call.ResponseStream.MoveNext());
        var error = await ExpectRpcErrorAsync(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(StatusCode.Aborted, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task An_unknown_method_of_a_known_service_is_unimplemented()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()));
        var missing = new Method<SimpleRequest, SimpleResponse>(MethodType.Unary, EchoService, "Missing", SimpleResponse.Parser);

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(missing, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Method is unimplemented.", error.Status.Detail);
    }

    [Fact]
    public async Task An_unknown_service_is_unimplemented()
    {
        await using var host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(Echo()));
        var missing = new Method<SimpleRequest, SimpleResponse>(MethodType.Unary, "test.Nowhere", "Unary", SimpleResponse.Parser);

        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(missing, Request("m")).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("Service is unimplemented.", error.Status.Detail);
    }

    [Fact]
    public async Task Any_route_of_the_application_wins_over_unimplemented_and_other_requests_get_404()
    {
        await using var host = await GrpcTestHost.StartAsync(e =>
        {
            e.MapGrpcService(Echo());
            e.MapPost("/test.Custom/Hook", (Microsoft.AspNetCore.Http.HttpContext http) =>
            {
                http.Response.Headers["x-handled-by"] = "app";
                return Task.CompletedTask;
            });
        }, withHttp1Endpoint: true);
        var hook = new Method<SimpleRequest, SimpleResponse>(MethodType.Unary, "test.Custom", "Hook", SimpleResponse.Parser);

        // The application's route answers (with no gRPC status: INTERNAL for the client), not UNIMPLEMENTED.
        var error = await ExpectRpcErrorAsync(() => host.Channel.AsyncUnaryCall(hook, Request("m")).ResponseAsync);
        using var http = new HttpClient();
        var plain = await http.GetAsync(new Uri($"{host.Http1Address}no/such/page"));

        Assert.NotEqual(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, plain.StatusCode);
    }

    [Fact]
    public async Task A_service_resolved_from_the_container_is_served()
    {
        await using var host = await GrpcTestHost.StartAsync(
            e => e.MapGrpcService<GreetingService>(s => s.Definition()),
            services: s => s.AddSingleton(new GreetingService("hello from the container")));

        var response = await host.Channel.AsyncUnaryCall(Unary, Request("m"));

        Assert.Equal("hello from the container", response.Text());
    }

    [Fact]
    public async Task Mapping_a_service_without_adding_the_server_fails_with_a_clear_message()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService(Echo()));

        Assert.Contains("AddGrpcServer", error.Message);
    }

    [Fact]
    public async Task A_method_registered_with_the_wrong_kind_for_its_descriptor_is_refused()
    {
        var descriptor = TestReflection.Descriptor.Services.Single(s => s.Name == "TestService");

        var error = Assert.Throws<ArgumentException>(() => GrpcServiceDefinition.CreateBuilder(descriptor)
            .AddUnaryMethod<StreamingOutputCallRequest, StreamingOutputCallResponse>(
                "FullDuplexCall", StreamingOutputCallRequest.Parser, (_, _) => Task.FromResult(new StreamingOutputCallResponse())));

        Assert.Contains("DuplexStreaming", error.Message);
    }

    private sealed class GreetingService(string greeting)
    {
        public GrpcServiceDefinition Definition() => Echo(unary: (_, _) =>
            Task.FromResult(new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(greeting) } }));
    }
}
