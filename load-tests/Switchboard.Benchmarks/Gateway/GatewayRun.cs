using Grpc.Core;
using Grpc.Net.Client;
using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Contracts.V1;

namespace Switchboard.Benchmarks.Gateway;

/// <summary>
/// One adapter's Connect stream and the calls it offers: the time from sending OfferCall to receiving the
/// call's RING_AGENT on the stream; each rung call is then acked, answered, ended and its wrap-up finished.
/// </summary>
internal sealed class GatewayRun(GrpcChannel channel, string adapterKey, IReadOnlyDictionary<string, string> agentKeys)
{
    private const string AdapterId = GatewayLoad.AdapterId;

    /// <summary>The budget's line (5 ms): calls slower than it are kept with their times, to line up with pauses.</summary>
    public static readonly long SlowTicks = Stopwatch.Frequency / 200;

    private readonly ConcurrentDictionary<string, long> _offeredAt = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private ConcurrentBag<long> _ring = [];
    private ConcurrentBag<double> _delivery = [];
    private int _expired;
    private ConcurrentBag<(long OfferedAt, long Latency)> _slow = [];
    private AsyncDuplexStreamingCall<ConnectRequest, ConnectResponse>? _connect;
    private int _run;

    public async Task ConnectAsync()
    {
        var headers = new Metadata { { "authorization", $"Bearer {adapterKey}" } };
        _connect = new TelephonyAdapter.TelephonyAdapterClient(channel).Connect(new CallOptions(headers));
        await _connect.RequestStream.WriteAsync(new ConnectRequest { Hello = new AdapterHello { AdapterId = AdapterId, Software = "gateway-load" } });
        if (!await _connect.ResponseStream.MoveNext() || _connect.ResponseStream.Current.Accepted is null)
        {
            throw new InvalidOperationException("Connect was not accepted.");
        }
        _ = Task.Run(ReadInstructionsAsync);
    }

    public async Task<RunResult> OfferAtAsync(double rate, TimeSpan duration, int queues)
    {
        var run = Interlocked.Increment(ref _run);
        _ring = [];
        _delivery = [];
        _slow = [];
        Interlocked.Exchange(ref _expired, 0);
        var replies = new ConcurrentBag<long>();
        var (refused, failed, queued) = (0, 0, 0);
        var pending = new Outstanding();
        var (startedUtc, started) = (DateTime.UtcNow, Stopwatch.GetTimestamp());
        var total = await GatewayLoad.Paced(rate, duration, (i, start) =>
        {
            var external = $"r{run}-{i}";
            _offeredAt[external] = start;
            pending.Run(async () =>
            {
                try
                {
                    var reply = await new TelephonyAdapter.TelephonyAdapterClient(channel).OfferCallAsync(new OfferCallRequest
                    {
                        AdapterId = AdapterId,
                        ExternalCallId = external,
                        CallerNumber = $"+49{run:00}{i:000000000}",
                        QueueId = $"q{i % queues}",
                    }, GatewayLoad.Auth(adapterKey));
                    replies.Add(Stopwatch.GetTimestamp() - start);
                    if (reply.State == CallState.Queued)
                    {
                        Interlocked.Increment(ref queued); // no agent free: it rings when one is
                    }
                }
                catch (RpcException error)
                {
                    // Past what the silo routes at once it refuses the offer (an adapter plays busy); anything else
                    // (a deadline, an internal error) is a failure. Both are counted, and neither will ring.
                    _offeredAt.TryRemove(external, out _);
                    if (error.StatusCode == StatusCode.ResourceExhausted)
                    {
                        Interlocked.Increment(ref refused);
                    }
                    else if (Interlocked.Increment(ref failed) <= 3)
                    {
                        Console.Error.WriteLine($"offering {external}: {error.StatusCode} {error.Status.Detail}");
                    }
                }
            });
        });
        await pending.WhenAllAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        // Let the last rings arrive (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_ring.Count < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        var ring = _ring.ToList();
        DateTime Utc(long timestamp) => startedUtc + Stopwatch.GetElapsedTime(started, timestamp);
        var slow = _slow.Select(s => (Utc(s.OfferedAt), Utc(s.OfferedAt + s.Latency))).OrderBy(s => s.Item1).ToList();
        return new RunResult(ring.Count / Math.Max(elapsed.TotalSeconds, duration.TotalSeconds), ring, [.. replies], total - refused - failed - ring.Count, slow, refused, failed, queued, [.. _delivery], Volatile.Read(ref _expired));
    }

    private async Task ReadInstructionsAsync()
    {
        while (await _connect!.ResponseStream.MoveNext())
        {
            if (_connect.ResponseStream.Current.Instruction is not { } instruction)
            {
                continue;
            }
            var now = Stopwatch.GetTimestamp();
            // As an adapter must (docs/api.md): an instruction that arrives past its expires_at is not carried out but
            // acked FAILED/EXPIRED. The server has withdrawn that offer already; the call rings again, timed from its offer.
            var expired = instruction.ExpiresAt is { } expiresAt && expiresAt.ToDateTime() <= DateTime.UtcNow;
            if (expired)
            {
                Interlocked.Increment(ref _expired);
            }
            else if (instruction.RingAgent is { } ring && _offeredAt.TryRemove(instruction.ExternalCallId, out var offeredAt))
            {
                _ring.Add(now - offeredAt);
                if (instruction.IssuedAt is { } issued)
                {
                    _delivery.Add((DateTime.UtcNow - issued.ToDateTime()).TotalMilliseconds);
                }
                if (now - offeredAt > SlowTicks)
                {
                    _slow.Add((offeredAt, now - offeredAt));
                }
                _ = Task.Run(() => CompleteAsync(instruction.CallId, ring.AgentId));
            }
            await _writes.WaitAsync();
            try
            {
                await _connect.RequestStream.WriteAsync(new ConnectRequest
                {
                    Ack = expired
                        ? new InstructionAck { InstructionId = instruction.InstructionId, Outcome = AckOutcome.Failed, Failure = AckFailure.Expired }
                        : new InstructionAck { InstructionId = instruction.InstructionId },
                });
            }
            finally
            {
                _writes.Release();
            }
        }
    }

    /// <summary>The rest of the call, so the agent is free again: answered, ended, wrap-up finished.</summary>
    private async Task CompleteAsync(string callId, string agentId)
    {
        try
        {
            await new TelephonyAdapter.TelephonyAdapterClient(channel).ReportCallEventAsync(new ReportCallEventRequest { AdapterId = AdapterId, CallId = callId, EventId = callId + ":a", Answered = new CallAnswered { AgentId = agentId } }, GatewayLoad.Auth(adapterKey));
            await new TelephonyAdapter.TelephonyAdapterClient(channel).ReportCallEventAsync(new ReportCallEventRequest { AdapterId = AdapterId, CallId = callId, EventId = callId + ":e", Ended = new CallEnded() }, GatewayLoad.Auth(adapterKey));
            await new AgentDesk.AgentDeskClient(channel).FinishWrapUpAsync(new FinishWrapUpRequest { AgentId = agentId, CallId = callId }, GatewayLoad.Auth(agentKeys[agentId]));
        }
        catch (RpcException exception)
        {
            Console.Error.WriteLine($"completing {callId} for {agentId}: {exception.StatusCode} {exception.Status.Detail}");
        }
    }
}

/// <summary>
/// One rate's outcome: achieved calls per second, latencies in Stopwatch ticks, calls taken without a ring, the calls
/// over 5 ms from offer to ring (UTC, in offer order), the offers refused (RESOURCE_EXHAUSTED) or failed, those
/// answered Queued (no agent was free: they ring when one is), and each ring's time from the server's issued_at to
/// its arrival here (ms, wall clock: both ends on this machine), and the instructions that arrived expired.
/// </summary>
internal sealed record RunResult(double Achieved, List<long> Ring, List<long> Reply, int Lost, List<(DateTime Offered, DateTime Rung)> Slow, int Refused, int Failed, int Queued, List<double> Delivery, int Expired);
