using Grpc.Core;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Tests.Infrastructure;
using static Switchboard.Gateway.Tests.Infrastructure.TestSilo;

namespace Switchboard.Gateway.Tests.Services;

public sealed class DrainTests
{
    [Fact]
    public async Task A_stopping_silo_ends_open_streams_with_unavailable_so_clients_reconnect_elsewhere()
    {
        var silo = await TestSilo.StartAsync();
        try
        {
            using var adapter = silo.Channel.AsyncDuplexStreamingCall(
                Streaming<ConnectRequest, ConnectResponse>(MethodType.DuplexStreaming, "TelephonyAdapter", "Connect"), With(AdapterKey, TimeSpan.FromMinutes(1)));
            await adapter.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = "fs-1" } });
            await adapter.ResponseStream.ReadUntilAsync(r => r.Accepted is not null);
            using var board = silo.Channel.AsyncServerStreamingCall(
                Streaming<WallboardSubscribeRequest, WallboardUpdate>(MethodType.ServerStreaming, "Wallboard", "Subscribe"),
                new WallboardSubscribeRequest { Scopes = { new Scope { Kind = ScopeKind.Center } } }, With(AdminKey, TimeSpan.FromMinutes(1)));
            await board.ResponseStream.ReadUntilAsync(u => u.Snapshot);

            var stopping = silo.StopAsync();

            var adapterEnd = await Assert.ThrowsAsync<RpcException>(() => adapter.ResponseStream.ReadUntilAsync(_ => false));
            var boardEnd = await Assert.ThrowsAsync<RpcException>(() => board.ResponseStream.ReadUntilAsync(_ => false));
            await stopping;
            Assert.True(adapterEnd.StatusCode == StatusCode.Unavailable, adapterEnd.Status.ToString());
            Assert.Equal(StatusCode.Unavailable, boardEnd.StatusCode);
            Assert.Contains("stopping", adapterEnd.Status.Detail);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }
}
