using Switchboard.Grpc;
using Switchboard.Grpc.Server;

namespace Switchboard.Gateway.Tests.Infrastructure;

/// <summary>A hand-made server call context for unit tests of service code.</summary>
internal sealed class TestCallContext(Metadata? headers = null, string method = "/switchboard.v1.Test/Call") : ServerCallContext
{
    public static TestCallContext WithKey(string? key)
    {
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", $"Bearer {key}");
        }
        return new TestCallContext(headers);
    }

    public override string Method { get; } = method;
    public override string Host => "localhost";
    public override string Peer => "ipv4:127.0.0.1:1";
    public override DateTime Deadline => DateTime.MaxValue;
    public override Metadata RequestHeaders { get; } = headers ?? new Metadata();
    public override CancellationToken CancellationToken => CancellationToken.None;
    public override Metadata ResponseTrailers { get; } = new();
    public override Status Status { get; set; }
    public override Task WriteResponseHeadersAsync(Metadata responseHeaders) => Task.CompletedTask;
}
