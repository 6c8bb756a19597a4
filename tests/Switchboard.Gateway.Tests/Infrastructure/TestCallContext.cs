using Grpc.Core;

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

    protected override string MethodCore { get; } = method;
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:1";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore { get; } = headers ?? new Metadata();
    protected override CancellationToken CancellationTokenCore => CancellationToken.None;
    protected override Metadata ResponseTrailersCore { get; } = new();
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore { get; } = new(null, new Dictionary<string, List<AuthProperty>>());
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
