using Grpc.Core;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Telemetry;

namespace Switchboard.Gateway.Adapters;

/// <summary>
/// How many offers this silo routes at once (<see cref="GatewayOptions.MaxOffersInProgress"/>). An offer past the
/// limit is refused at once with RESOURCE_EXHAUSTED, before any grain or store sees it, so the adapter can play busy
/// or offer the call through another silo while the calls already taken keep their pace. Without it, offers arriving
/// faster than the silo routes them queue without bound in front of the grains, every call slows down together, and
/// grain calls and instructions start to time out (docs/adr/010).
/// </summary>
internal sealed class OfferAdmission
{
    private readonly int _limit;
    private int _inProgress;

    public OfferAdmission(IOptions<GatewayOptions> options) => _limit = options.Value.MaxOffersInProgress;

    /// <summary>The offers being routed now.</summary>
    public int InProgress => Volatile.Read(ref _inProgress);

    /// <summary>Takes a place for one offer, given back by disposing the ticket; RESOURCE_EXHAUSTED when none is free.</summary>
    public Ticket Enter()
    {
        if (Interlocked.Increment(ref _inProgress) > _limit)
        {
            Interlocked.Decrement(ref _inProgress);
            GatewayTelemetry.OffersRefused.Add(1);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"this silo is routing {_limit} offers already, the most it takes at once (Switchboard:Gateway:MaxOffersInProgress); " +
                "the call was not taken: offer it again shortly, through another silo if there is one, or treat it as busy"));
        }
        GatewayTelemetry.OffersInProgress.Add(1);
        return new Ticket(this);
    }

    /// <summary>One offer's place; disposing it gives the place back.</summary>
    public readonly struct Ticket(OfferAdmission admission) : IDisposable
    {
        public void Dispose()
        {
            GatewayTelemetry.OffersInProgress.Add(-1);
            Interlocked.Decrement(ref admission._inProgress);
        }
    }
}
