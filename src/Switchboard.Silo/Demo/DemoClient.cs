using Grpc.Core;
using Switchboard.Contracts.V1;

namespace Switchboard.Silo.Demo;

/// <summary>The demo's view of the public API: the generated clients over one channel, with one API key per caller.</summary>
internal sealed class DemoClient(ChannelBase channel, string key)
{
    private static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(10);

    public Admin.AdminClient Admin { get; } = new(channel);

    public TelephonyAdapter.TelephonyAdapterClient TelephonyAdapter { get; } = new(channel);

    public AgentDesk.AgentDeskClient AgentDesk { get; } = new(channel);

    public CallOptions Options(TimeSpan? deadline = null, CancellationToken cancellationToken = default, string? adapterId = null)
    {
        var headers = new Metadata { { "authorization", $"Bearer {key}" } };
        if (adapterId is not null)
        {
            headers.Add("x-switchboard-adapter-id", adapterId);
        }
        return new CallOptions(headers, deadline is { } d ? DateTime.UtcNow + d : null, cancellationToken);
    }

    /// <summary>The options of one unary call: the key, a 10 s deadline, and the demo's stop.</summary>
    public CallOptions Unary(CancellationToken cancellationToken) => Options(UnaryDeadline, cancellationToken);
}
