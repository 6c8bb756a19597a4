using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The center configuration (key <see cref="Key"/>): loaded from the center file at start-up, persisted, and
/// changed at run time by administrators. A change is validated as a whole; a bad one throws
/// <see cref="CenterChangeException"/> naming the problem and the running configuration stays as it was.
/// Accepted changes reach the queue and agent grains at once (their profile and rules are re-read).
/// Every method takes an optional expected version: for <see cref="ReplaceAsync"/> the configuration's
/// (<see cref="CenterSnapshot.Version"/>), for the others the entity's (<see cref="CenterSnapshot.VersionOf"/>, so a
/// change to another entity does not get in the way); a mismatch is refused with code <c>version-mismatch</c>. Upserts replace the whole entity; removes succeed when the
/// entity is absent (<see cref="CenterChangeResult.Removed"/> false) and are refused while it is referenced.
/// </summary>
public interface ICenterGrain : IGrainWithStringKey
{
    /// <summary>The only key of the center grain.</summary>
    const string Key = "center";

    Task<CenterSnapshot> GetAsync();

    /// <summary>
    /// Registers a silo's <paramref name="observer"/> for the changes to come (for a few minutes: a silo subscribes again
    /// now and then) and returns the configuration's version now, so the silo knows whether its copy is current.
    /// </summary>
    Task<long> SubscribeAsync(ICenterObserver observer);

    /// <summary>Replaces the whole configuration (a reloaded center file).</summary>
    Task<CenterChangeResult> ReplaceAsync(CenterConfiguration configuration, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertVendorAsync(VendorDefinition vendor, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveVendorAsync(string vendorId, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertTeamAsync(TeamDefinition team, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveTeamAsync(string teamId, long? expectedVersion = null);

    /// <summary>Creates a skill or renames it (<paramref name="displayName"/> null or the id: the id is its name).</summary>
    Task<CenterChangeResult> UpsertSkillAsync(string skill, long? expectedVersion = null, string? displayName = null);

    Task<CenterChangeResult> RemoveSkillAsync(string skill, long? expectedVersion = null);

    /// <summary>
    /// Creates or replaces a not-ready reason or a disposition (one id space: an upsert of the other kind moves the
    /// code); <paramref name="details"/> keeps its name and whether a not-ready reason's time is productive.
    /// </summary>
    Task<CenterChangeResult> UpsertReasonCodeAsync(
        string reasonCode, long? expectedVersion = null, ReasonCodeKind kind = ReasonCodeKind.NotReady, ReasonCodeDetails? details = null);

    Task<CenterChangeResult> RemoveReasonCodeAsync(string reasonCode, long? expectedVersion = null);

    /// <summary>Creates or replaces an agent; its vendor is its team's (a different <see cref="AgentProfile.VendorId"/> is refused).</summary>
    Task<CenterChangeResult> UpsertAgentAsync(AgentProfile agent, long? expectedVersion = null);

    /// <summary>Removes an agent; refused while the agent is logged in.</summary>
    Task<CenterChangeResult> RemoveAgentAsync(string agentId, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertQueueAsync(QueueDefinition queue, long? expectedVersion = null);

    /// <summary>Removes a queue; refused while calls wait in it or other queues or agents refer to it.</summary>
    Task<CenterChangeResult> RemoveQueueAsync(string queueId, long? expectedVersion = null);
}
