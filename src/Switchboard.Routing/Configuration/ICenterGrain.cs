using Switchboard.Actors;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The center configuration (key <see cref="Key"/>): loaded from the center file at start-up, persisted, and
/// changed at run time by administrators. A change is validated as a whole; a bad one throws
/// <see cref="CenterChangeException"/> naming the problem and the running configuration stays as it was.
/// Accepted changes reach the queue and agent grains at once (their profile and rules are re-read).
/// Every method takes an optional expected version (<see cref="CenterSnapshot.Version"/>): a mismatch is
/// refused with code <c>version-mismatch</c>. Upserts replace the whole entity; removes succeed when the
/// entity is absent (<see cref="CenterChangeResult.Removed"/> false) and are refused while it is referenced.
/// </summary>
public interface ICenterGrain : IGrainWithStringKey
{
    /// <summary>The only key of the center grain.</summary>
    const string Key = "center";

    Task<CenterSnapshot> GetAsync();

    /// <summary>Replaces the whole configuration (a reloaded center file).</summary>
    Task<CenterChangeResult> ReplaceAsync(CenterConfiguration configuration, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertVendorAsync(VendorDefinition vendor, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveVendorAsync(string vendorId, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertTeamAsync(TeamDefinition team, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveTeamAsync(string teamId, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertSkillAsync(string skill, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveSkillAsync(string skill, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertReasonCodeAsync(string reasonCode, long? expectedVersion = null);

    Task<CenterChangeResult> RemoveReasonCodeAsync(string reasonCode, long? expectedVersion = null);

    /// <summary>Creates or replaces an agent; its vendor is its team's (a different <see cref="AgentProfile.VendorId"/> is refused).</summary>
    Task<CenterChangeResult> UpsertAgentAsync(AgentProfile agent, long? expectedVersion = null);

    /// <summary>Removes an agent; refused while the agent is logged in.</summary>
    Task<CenterChangeResult> RemoveAgentAsync(string agentId, long? expectedVersion = null);

    Task<CenterChangeResult> UpsertQueueAsync(QueueDefinition queue, long? expectedVersion = null);

    /// <summary>Removes a queue; refused while calls wait in it or other queues or agents refer to it.</summary>
    Task<CenterChangeResult> RemoveQueueAsync(string queueId, long? expectedVersion = null);
}
