namespace Switchboard.Client;

/// <summary>How a <see cref="SwitchboardClient"/> reaches a silo.</summary>
public sealed class SwitchboardClientOptions
{
    /// <summary>The silo's gRPC address, e.g. <c>http://127.0.0.1:5000</c> (h2c) or <c>https://switchboard.example</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>The API key, sent as <c>authorization: Bearer &lt;key&gt;</c> on every call.</summary>
    public required string ApiKey { get; init; }

    /// <summary>
    /// How many times a unary call is tried in all when the silo answers UNAVAILABLE (a silo stopping, a partition
    /// moving). Every switchboard.v1 RPC is safe to retry (docs/api.md, "Retries and idempotency"). Default 5.
    /// </summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry's back-off; each next one is 2x, up to <see cref="MaxBackoff"/>. Default 100 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between retries and between reconnects of a stream. Default 10 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The deadline of each unary call the client makes for you. Default 10 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
