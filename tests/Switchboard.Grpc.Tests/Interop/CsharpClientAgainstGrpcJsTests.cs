namespace Switchboard.Grpc.Tests.Interop;

/// <summary>The official interop cases, driven by Switchboard's client against a @grpc/grpc-js server.</summary>
public sealed class CsharpClientAgainstGrpcJsTests(GrpcJsInteropServer server) : IClassFixture<GrpcJsInteropServer>
{
    public static TheoryData<string> Cases => new(InteropCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_switchboard_client_passes_the_interop_case_against_grpc_js(string name)
    {
        await InteropCases.All[name](server.Channel);
    }
}
