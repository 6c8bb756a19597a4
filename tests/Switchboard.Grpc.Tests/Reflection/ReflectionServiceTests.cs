using Google.Protobuf.Reflection;
using Switchboard.Grpc.Reflection;
using Switchboard.Grpc.Tests.Infrastructure;
using Switchboard.Grpc.Tests.Interop;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Switchboard.Grpc.Tests.Reflection;

/// <summary>grpc.reflection v1 and v1alpha: listing services and fetching their descriptors.</summary>
public sealed class ReflectionServiceTests : IAsyncLifetime
{
    private static readonly Method<V1.ServerReflectionRequest, V1.ServerReflectionResponse> V1Info =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1.ServerReflection", "ServerReflectionInfo", V1.ServerReflectionResponse.Parser);

    private static readonly Method<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse> V1AlphaInfo =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", V1Alpha.ServerReflectionResponse.Parser);

    private GrpcTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(e =>
    {
        e.MapGrpcReflectionService();
        e.MapGrpcService(InteropTestService.Create());
        e.MapGrpcHealthService();
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task List_services_names_every_mapped_service()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { ListServices = "*" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("grpc.testing.TestService", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Fact]
    public async Task A_symbols_file_comes_with_its_imports_and_describes_the_service()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.testing.TestService" });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("grpc/testing/test.proto", files[0].Name);
        Assert.Equal(["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"], files.Select(f => f.Name).Order().ToList());
        var service = files.Single(f => f.Name == "grpc/testing/test.proto").Service.Single(s => s.Name == "TestService");
        Assert.Contains(service.Method, m => m.Name == "FullDuplexCall" && m.ClientStreaming && m.ServerStreaming);
    }

    [Fact]
    public async Task A_message_type_is_found_by_its_full_name()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.testing.SimpleRequest" });

        var first = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc/testing/messages.proto", first.Name);
    }

    [Fact]
    public async Task An_unknown_symbol_answers_not_found_and_keeps_the_stream_open()
    {
        using var call = _host.Channel.AsyncDuplexStreamingCall(V1Info);
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "no.such.Thing" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal((int)StatusCode.NotFound, call.ResponseStream.Current.ErrorResponse.ErrorCode);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileByFilename = "grpc/testing/empty.proto" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Single(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task The_v1alpha_service_answers_like_v1()
    {
        using var call = _host.Channel.AsyncDuplexStreamingCall(V1AlphaInfo);
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "*" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "grpc.testing.TestService");
    }

    private async Task<V1.ServerReflectionResponse> AskV1Async(V1.ServerReflectionRequest request)
    {
        using var call = _host.Channel.AsyncDuplexStreamingCall(V1Info);
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext());
        return response;
    }
}
