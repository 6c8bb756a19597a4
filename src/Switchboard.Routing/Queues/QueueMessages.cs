using System.Collections.Immutable;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.Queues;

/// <summary>The queue grain's routing surface: what call and agent grains ask of it (not for the gateway).</summary>
internal interface IQueueRouting : IGrainWithStringKey
{
    /// <summary>Puts an offered call in line and reserves an agent for it at once when one is free.</summary>
    Task<EnqueueReply> EnqueueAsync(EnqueueRequest request);

    /// <summary>
    /// An offer failed: the call goes back to its original place; <paramref name="declinedBy"/> is not offered it
    /// again. A call this queue did not offer (a transfer to a named agent) is put in line from <paramref name="request"/>.
    /// </summary>
    Task ReturnAsync(EnqueueRequest request, string? declinedBy);

    /// <summary>
    /// A queued call heard of an offer it never recorded (a crash between the agent's reservation and the call's record)
    /// and that offer, <paramref name="offerId"/> to <paramref name="agentId"/>, is over: back in line at its original
    /// place unless this queue holds it already, waiting or in another offer. An offer this queue restored from its
    /// journal (ids unknown), made with that id, or, its id unknown (the agent took the call itself), made to that
    /// agent is the one that is over.
    /// </summary>
    Task RestoreAsync(EnqueueRequest request, string agentId, string offerId);

    /// <summary>A call taken by an agent that could not reserve itself after all: back to its place, offered to others.</summary>
    Task ReleaseAsync(string callId);

    /// <summary>The call left the queue for good (abandoned, answered, timed out): drops it from waiting or offered.</summary>
    Task<bool> RemoveAsync(string callId);

    /// <summary>The caller chose a callback: the call keeps its place without holding the line.</summary>
    Task<bool> ScheduleCallbackAsync(string callId);

    /// <summary>A call of this queue was handled in <paramref name="handleTime"/> (EWT's average handle time).</summary>
    Task RecordHandleTimeAsync(TimeSpan handleTime);

    /// <summary>The best waiting call <paramref name="candidate"/> may take (not removed); registers the agent as available.</summary>
    Task<QueueClaim?> ClaimAsync(AgentCandidate candidate);

    /// <summary>Takes a claimed call out of line for the agent; null when it is gone or no longer eligible.</summary>
    Task<OfferRequest?> TakeAsync(string callId, AgentCandidate candidate);

    /// <summary>An agent who may take this queue's calls changed state.</summary>
    Task AgentChangedAsync(AgentPresence presence);

    /// <summary>Activates the queue (start-up) so its watchdog re-arms.</summary>
    Task WakeAsync();

    /// <summary>The queue's definition changed in the center configuration.</summary>
    Task ConfigurationChangedAsync();
}

/// <summary>A call to put in line, with what the desk shows and the repeat caller's last agent.</summary>
[GenerateSerializer, Immutable, Alias("sb.EnqueueRequest")]
internal sealed record EnqueueRequest(Call Call, string? PreferredAgentId, bool RepeatCall, ImmutableDictionary<string, string> CallData, string? DialedNumber = null);

/// <summary>Where the call is now: its place and EWT, or the reservation made at once.</summary>
[GenerateSerializer, Immutable, Alias("sb.EnqueueReply")]
internal sealed record EnqueueReply(int Position, TimeSpan? EstimatedWait, ReservationNotice? Reservation);

/// <summary>Stored state of a queue grain: the waiting calls, the calls being offered, what the desk shows of each.</summary>
[GenerateSerializer, Alias("sb.QueueGrainState")]
internal sealed class QueueGrainState
{
    [Id(0)]
    public List<WaitingCall> Waiting { get; set; } = [];

    [Id(1)]
    public List<WaitingCall> Offered { get; set; } = [];

    [Id(2)]
    public Dictionary<string, QueueCallExtras> Extras { get; set; } = new(StringComparer.Ordinal);

    [Id(3)]
    public TimeSpan? RecentHandleTime { get; set; }

    /// <summary>The first record of the queue's journal not in this checkpoint (line changes since it).</summary>
    [Id(4)]
    public long ReplayFrom { get; set; } = 1;
}

/// <summary>What the queue keeps beside a waiting call for its offers.</summary>
[GenerateSerializer, Immutable, Alias("sb.QueueCallExtras")]
internal sealed record QueueCallExtras(bool RepeatCall, ImmutableDictionary<string, string> CallData, string? DialedNumber = null);
