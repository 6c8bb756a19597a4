
namespace Switchboard.Routing.Calls;

/// <summary>
/// One call, keyed by its call id (<see cref="CallIds.For"/> derives it from the adapter and its own call id).
/// Every transition is appended to the call's journal before it takes effect. The methods are what a
/// telephony adapter reports; each takes an optional <c>eventId</c> (the adapter's idempotency key): a
/// repeated event id is applied once and answered with the call as it is.
/// Refused operations throw <see cref="CallStateException"/> (or another <see cref="RoutingException"/>)
/// and change nothing.
/// </summary>
public interface ICallGrain : IGrainWithStringKey
{
    /// <summary>
    /// Offers the call to its queue: journals it, enqueues it and reserves an agent at once if one is free.
    /// An identical retry returns the call with Duplicate set; a different offer under the same id throws
    /// <see cref="DuplicateCallException"/>. Unknown queue or skill: <see cref="RoutingNotFoundException"/>.
    /// </summary>
    Task<OfferCallResult> OfferAsync(CallOffer offer);

    /// <summary>The call as it is now; <see cref="RoutingNotFoundException"/> when it was never offered.</summary>
    Task<CallSnapshot> GetAsync();

    /// <summary>
    /// The reserved agent answered (the adapter bridged the call): the call is Answered, the agent OnCall. With
    /// <paramref name="agentId"/> (the agent the adapter bridged), a call reserved for or answered by another agent is
    /// refused with <see cref="CallStateException"/> (code <c>other-agent</c>) and nothing changes: the check and the
    /// answer are one turn of the call grain, so a reservation that moves to another agent in between cannot be
    /// answered in the first agent's name.
    /// </summary>
    Task<CallSnapshot> AnsweredAsync(string? eventId = null, string? agentId = null);

    /// <summary>
    /// The reserved agent's phone rang out or could not be reached: the call goes back to the head of its
    /// queue and the agent goes NotReady(missed-offer).
    /// </summary>
    Task<CallSnapshot> AgentNoAnswerAsync(string? eventId = null, string? agentId = null);

    /// <summary>
    /// The caller hung up. Waiting or ringing: the call is Abandoned and a ringing agent is released at once.
    /// Answered: the conversation ended (as <see cref="EndedAsync"/>).
    /// </summary>
    Task<CallSnapshot> CallerHungUpAsync(string? eventId = null);

    /// <summary>The conversation ended (either side hung up): the call is Completed, the agent goes to WrapUp.</summary>
    Task<CallSnapshot> EndedAsync(string? eventId = null);

    /// <summary>The call was put on hold at the phone (reported by the adapter).</summary>
    Task<CallSnapshot> HeldAsync(string? eventId = null);

    /// <summary>The call was taken off hold at the phone (reported by the adapter).</summary>
    Task<CallSnapshot> ResumedAsync(string? eventId = null);

    /// <summary>The waiting caller chose a callback (virtual hold): the call keeps its place without holding the line.</summary>
    Task<CallSnapshot> CallbackChosenAsync(string? callbackNumber = null, string? eventId = null);

    /// <summary>Records the caller's post-call survey score (1-5) for a finished, answered call.</summary>
    Task<CallSnapshot> SurveyAsync(int score, string? eventId = null);
}
