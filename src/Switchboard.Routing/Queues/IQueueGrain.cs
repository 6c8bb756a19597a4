
namespace Switchboard.Routing.Queues;

/// <summary>
/// One queue, keyed by queue id: its waiting calls in order, the available agents who may take them, its
/// strategy, service-level threshold, max wait with its action (a watchdog per call), relaxation over wait
/// time and vendor policy. The queue proposes, the agent disposes: every reservation goes through the
/// agent's grain. Calls enter it through <see cref="Calls.ICallGrain.OfferAsync"/>, never directly.
/// Unknown queue: <see cref="RoutingNotFoundException"/>.
/// </summary>
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Calls waiting, longest wait, agents by state: the value published on <c>queue/{id}</c>.</summary>
    Task<QueueStatus> GetStatusAsync();

    /// <summary>The place and estimated wait of a waiting call; null when it is not waiting in this queue.</summary>
    Task<CallPosition?> GetPositionAsync(string callId);

    /// <summary>Every waiting call in the order it will be served now (aging applied).</summary>
    Task<IReadOnlyList<CallPosition>> GetWaitingCallsAsync();
}
