namespace Switchboard.Grpc.Tests.Interop;

/// <summary>The official interop cases, driven by Switchboard's client against a grpcio (C-core) server.</summary>
public sealed class CsharpClientAgainstGrpcioTests(GrpcioInteropServer server) : IClassFixture<GrpcioInteropServer>
{
    public static TheoryData<string> Cases => new(InteropCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_switchboard_client_passes_the_interop_case_against_grpcio(string name)
    {
        await InteropCases.All[name](server.Channel);
    }
}
