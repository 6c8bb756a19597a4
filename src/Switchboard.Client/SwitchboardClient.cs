using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Switchboard.Contracts.V1;

namespace Switchboard.Client;

/// <summary>
/// One connection to a Switchboard silo with one API key: the generated clients of every switchboard.v1 service,
/// unary calls retried on UNAVAILABLE through a gRPC service config (with back-off), and
/// <see cref="ConnectAdapterAsync"/> for a telephony adapter's instruction stream.
/// </summary>
public sealed class SwitchboardClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public SwitchboardClient(SwitchboardClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException("ApiKey is required: the silo refuses calls without a key (UNAUTHENTICATED).", nameof(options));
        }
        if (options.MaxAttempts is < 1 or > 10)
        {
            throw new ArgumentException($"MaxAttempts is {options.MaxAttempts}; use 1 to 10 (1: no retries).", nameof(options));
        }

        Options = options;
        _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            ServiceConfig = RetryConfig(options),
            // Retries keep a copy of the request to send again; the API's messages are small.
            MaxRetryBufferPerCallSize = 1024 * 1024,
        });
        var key = $"Bearer {options.ApiKey}";
        var invoker = _channel.Intercept(headers =>
        {
            headers.Add("authorization", key);
            return headers;
        });
        TelephonyAdapter = new TelephonyAdapter.TelephonyAdapterClient(invoker);
        AgentDesk = new AgentDesk.AgentDeskClient(invoker);
        Wallboard = new Wallboard.WallboardClient(invoker);
        Admin = new Admin.AdminClient(invoker);
    }

    /// <summary>The options the client was made with.</summary>
    public SwitchboardClientOptions Options { get; }

    /// <summary>Offer calls, report what happened, and (through <see cref="ConnectAdapterAsync"/>) take instructions.</summary>
    public TelephonyAdapter.TelephonyAdapterClient TelephonyAdapter { get; }

    /// <summary>An agent's desk: log in, ready / not ready, offers, hold, transfer, wrap-up.</summary>
    public AgentDesk.AgentDeskClient AgentDesk { get; }

    /// <summary>Live and historical figures, Erlang C staffing.</summary>
    public Wallboard.WallboardClient Wallboard { get; }

    /// <summary>Vendors, teams, skills, reason codes, agents and queues.</summary>
    public Admin.AdminClient Admin { get; }

    /// <summary>A deadline for one unary call: now plus <see cref="SwitchboardClientOptions.CallTimeout"/>.</summary>
    public DateTime Deadline() => DateTime.UtcNow + Options.CallTimeout;

    /// <summary>
    /// Opens the adapter's instruction stream and keeps it open: each instruction goes to <paramref name="handler"/>
    /// and its outcome is acknowledged; when the stream breaks (the silo stopped, the connection dropped) the session
    /// reconnects with back-off and the silo sends again what was not acknowledged. Returns once the first stream is
    /// accepted. Dispose the session to close it.
    /// </summary>
    public async Task<AdapterSession> ConnectAdapterAsync(string adapterId, InstructionHandler handler, string software = "Switchboard.Client", CancellationToken cancellationToken = default)
    {
        var session = new AdapterSession(this, adapterId, software, handler);
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    public void Dispose() => _channel.Dispose();

    private static ServiceConfig RetryConfig(SwitchboardClientOptions options) => new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = options.MaxAttempts == 1 ? null : new RetryPolicy
                {
                    MaxAttempts = options.MaxAttempts,
                    InitialBackoff = options.InitialBackoff,
                    MaxBackoff = options.MaxBackoff,
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };
}
