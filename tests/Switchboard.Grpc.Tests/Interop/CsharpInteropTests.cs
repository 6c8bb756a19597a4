using Switchboard.Grpc.Server;
using Switchboard.Grpc.Tests.Infrastructure;

namespace Switchboard.Grpc.Tests.Interop;

/// <summary>The official interop cases, driven by Switchboard's own client against Switchboard's own server.</summary>
public sealed class CsharpInteropTests : IAsyncLifetime
{
    private GrpcTestHost _host = null!;

    public static TheoryData<string> Cases => new(InteropCases.All.Keys);

    public async Task InitializeAsync() => _host = await GrpcTestHost.StartAsync(e => e.MapGrpcService(InteropTestService.Create()));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_switchboard_client_passes_the_interop_case(string name)
    {
        await InteropCases.All[name](_host.Channel);
    }
}
