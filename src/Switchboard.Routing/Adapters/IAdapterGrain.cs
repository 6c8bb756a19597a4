
namespace Switchboard.Routing.Adapters;

/// <summary>
/// The outbox of one telephony adapter, keyed by adapter id: every instruction issued for its calls, persisted
/// with an id and a per-adapter sequence, until the adapter acknowledges it. New instructions are published on
/// topic <c>adapter/{id}</c> (key: instruction id; removed on ack). Delivery is at least once: the gateway's
/// Connect stream subscribes to the topic, then calls <see cref="ConnectAsync"/> and sends the unacknowledged
/// instructions it returns before the topic's new ones (skipping ids already sent).
/// </summary>
public interface IAdapterGrain : IGrainWithStringKey
{
    /// <summary>
    /// The adapter (re)connected: returns every unacknowledged, unexpired instruction in sequence order.
    /// <paramref name="callsLost"/>: the adapter restarted and its calls are gone; the server ends them instead.
    /// </summary>
    Task<AdapterConnection> ConnectAsync(bool callsLost = false);

    /// <summary>
    /// Acknowledges an instruction. Acks of unknown or already acknowledged ids are ignored (false).
    /// A failure is acted on: EndpointUnreachable is a no-answer, CallGone ends the call.
    /// </summary>
    Task<bool> AckAsync(string instructionId, InstructionOutcome outcome, AckFailure failure = AckFailure.None);

    /// <summary>The unacknowledged instructions in sequence order.</summary>
    Task<IReadOnlyList<AdapterInstruction>> GetPendingAsync();
}
