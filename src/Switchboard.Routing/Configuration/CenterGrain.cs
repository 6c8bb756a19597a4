using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The center configuration: persisted, versioned, changed whole. A change builds a new document, validates all of
/// it, persists it and only then swaps the silo's <see cref="CenterDirectory"/> and tells the queue and agent grains
/// it concerns. A refused change leaves everything as it was. Each entity remembers the version that last changed it
/// (found by comparing the entity before and after every change), which is what a change's expected version is checked
/// against: a change to one queue does not make another queue's etag stale.
/// </summary>
internal sealed partial class CenterGrain(
    [PersistentState("center")] IPersistentState<CenterGrainState> stored,
    CenterDirectory directory,
    IOptions<RoutingOptions> options,
    ILogger<CenterGrain> logger) : Grain, ICenterGrain
{
    // How long a silo's subscription lasts without being renewed (silos renew every CenterSync.RenewEvery), and how
    // long a change waits for a silo to take it before going on without it.
    internal static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(5);

    private readonly ObserverManager<ICenterObserver> _silos = new(SubscriptionLifetime, logger);
    private CenterDocument _document = CenterDocument.Empty;
    private ImmutableDictionary<string, long> _entityVersions = ImmutableDictionary<string, long>.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var fromOptions = o.Center ?? (o.CenterFile is { } file ? CenterConfigurationLoader.Load(file) : null);
        if (stored.State.Document is { } document && !(o.ReloadCenterFileOnStart && fromOptions is not null))
        {
            var problems = new List<ConfigurationProblem>();
            var configuration = CenterDocumentValidator.Validate(document, problems)
                ?? throw new CenterChangeException("invalid-configuration", problems);
            _document = Normalize(document);
            // Nothing changed while stopped: each entity keeps its stored version (one stored before entity versions gets the current one).
            _entityVersions = Versions(_document, _document, stored.State.Version, stored.State.EntityVersions);
            directory.Set(configuration, stored.State.Version);
            Log.Loaded(logger, "the store", stored.State.Version, configuration.Queues.Length, configuration.Agents.Length);
            return;
        }

        if (fromOptions is not null)
        {
            _document = Normalize(CenterDocument.From(fromOptions));
            _entityVersions = Versions(CenterDocument.Empty, _document, stored.State.Version + 1, null);
            stored.State = new CenterGrainState { Version = stored.State.Version + 1, Document = _document, EntityVersions = new(_entityVersions) };
            await stored.WriteStateAsync(cancellationToken);
            directory.Set(fromOptions, stored.State.Version);
            Log.Loaded(logger, o.CenterFile ?? "the options", stored.State.Version, fromOptions.Queues.Length, fromOptions.Agents.Length);
        }
    }

    public Task<CenterSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public Task<long> SubscribeAsync(ICenterObserver observer)
    {
        _silos.Subscribe(observer, observer);
        return Task.FromResult(directory.Version);
    }

    private CenterSnapshot Snapshot() => new(directory.Version, directory.Configuration, _entityVersions);

    public Task<CenterChangeResult> ReplaceAsync(CenterConfiguration configuration, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return ChangeAsync(null, expectedVersion, _ => CenterDocument.From(configuration), null);
    }

    public Task<CenterChangeResult> UpsertVendorAsync(VendorDefinition vendor, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return ChangeAsync(CenterEntity.Vendor(vendor.VendorId), expectedVersion, d => d with { Vendors = Upsert(d.Vendors, vendor, v => v.VendorId == vendor.VendorId) }, null);
    }

    public Task<CenterChangeResult> RemoveVendorAsync(string vendorId, long? expectedVersion = null) =>
        RemoveAsync(CenterEntity.Vendor(vendorId), expectedVersion, d => d.Vendors.Any(v => v.VendorId == vendorId), d => d with { Vendors = d.Vendors.RemoveAll(v => v.VendorId == vendorId) },
            d => [.. d.Teams.Where(t => t.VendorId == vendorId).Select(t => $"team {t.TeamId}"),
                  .. d.Queues.Where(q => Mentions(q, vendorId)).Select(q => $"queue {q.QueueId}")]);

    public Task<CenterChangeResult> UpsertTeamAsync(TeamDefinition team, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        return ChangeAsync(CenterEntity.Team(team.TeamId), expectedVersion, d => d with
        {
            Teams = Upsert(d.Teams, team, t => t.TeamId == team.TeamId),
            // A team that changes vendor takes its agents along.
            Agents = [.. d.Agents.Select(a => a.TeamId == team.TeamId ? a with { VendorId = team.VendorId } : a)],
        }, d => [.. d.Agents.Where(a => a.TeamId == team.TeamId).Select(a => a.AgentId)]);
    }

    public Task<CenterChangeResult> RemoveTeamAsync(string teamId, long? expectedVersion = null) =>
        RemoveAsync(CenterEntity.Team(teamId), expectedVersion, d => d.Teams.Any(t => t.TeamId == teamId), d => d with { Teams = d.Teams.RemoveAll(t => t.TeamId == teamId) },
            d => [.. d.Agents.Where(a => a.TeamId == teamId).Select(a => $"agent {a.AgentId}")]);

    public Task<CenterChangeResult> UpsertSkillAsync(string skill, long? expectedVersion = null, string? displayName = null) =>
        ChangeAsync(CenterEntity.Skill(skill), expectedVersion, d => d with
        {
            Skills = d.Skills.Contains(skill) ? d.Skills : d.Skills.Add(skill),
            SkillNames = string.IsNullOrEmpty(displayName) || displayName == skill ? d.SkillNames!.Remove(skill) : d.SkillNames!.SetItem(skill, displayName),
        }, null);

    public Task<CenterChangeResult> RemoveSkillAsync(string skill, long? expectedVersion = null) =>
        RemoveAsync(CenterEntity.Skill(skill), expectedVersion, d => d.Skills.Contains(skill), d => d with { Skills = d.Skills.Remove(skill), SkillNames = d.SkillNames!.Remove(skill) },
            d => [.. d.Agents.Where(a => a.Skills.ContainsKey(skill)).Select(a => $"agent {a.AgentId}"),
                  .. d.Queues.Where(q => q.RequiredSkills.Any(r => r.Skill == skill)).Select(q => $"queue {q.QueueId}")]);

    public Task<CenterChangeResult> UpsertReasonCodeAsync(
        string reasonCode, long? expectedVersion = null, ReasonCodeKind kind = ReasonCodeKind.NotReady, ReasonCodeDetails? details = null)
    {
        if (reasonCode is AgentReasonCodes.MissedOffer or AgentReasonCodes.Disconnected or AgentReasonCodes.LoggedIn)
        {
            throw new CenterChangeException("invalid-configuration", [new($"reasonCodes[{reasonCode}]", $"'{reasonCode}' is a system reason code: always there, read-only")]);
        }

        var keep = details is not null && (details.Productive || details.Name != reasonCode);
        return ChangeAsync(CenterEntity.ReasonCode(reasonCode), expectedVersion, d => d with
        {
            // A code is one kind or the other: an upsert of the other kind moves it.
            ReasonCodes = kind == ReasonCodeKind.NotReady ? AddOnce(d.ReasonCodes, reasonCode) : d.ReasonCodes.Remove(reasonCode),
            Dispositions = kind == ReasonCodeKind.Disposition ? AddOnce(d.Dispositions, reasonCode) : d.Dispositions.Remove(reasonCode),
            ReasonCodeDetails = keep ? d.ReasonCodeDetails!.SetItem(reasonCode, details! with { Productive = details.Productive && kind == ReasonCodeKind.NotReady }) : d.ReasonCodeDetails!.Remove(reasonCode),
        }, null);
    }

    public async Task<CenterChangeResult> RemoveReasonCodeAsync(string reasonCode, long? expectedVersion = null)
    {
        if (_document.ReasonCodes.Contains(reasonCode))
        {
            // An agent NOT_READY with the code (or about to be, after wrap-up) would show a code the center no
            // longer defines: every configured agent is asked, since an agent's state outlives its activation.
            var statuses = await Task.WhenAll(_document.Agents.Select(a => GrainFactory.GetGrain<IAgentGrain>(a.AgentId).GetStatusAsync()));
            var holding = statuses
                .Where(s => (s.State == AgentState.NotReady && s.ReasonCode == reasonCode) || s.PendingReasonCode == reasonCode)
                .Select(s => s.AgentId)
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (holding.Length > 0)
            {
                throw new CenterChangeException("in-use", [new($"reasonCodes[{reasonCode}]",
                    $"agents {string.Join(", ", holding)} are NOT_READY with reason code {reasonCode}: set them to another state first")]);
            }
        }

        return await RemoveAsync(CenterEntity.ReasonCode(reasonCode), expectedVersion, d => d.ReasonCodes.Contains(reasonCode) || d.Dispositions.Contains(reasonCode),
            d => d with { ReasonCodes = d.ReasonCodes.Remove(reasonCode), Dispositions = d.Dispositions.Remove(reasonCode), ReasonCodeDetails = d.ReasonCodeDetails!.Remove(reasonCode) }, _ => []);
    }

    public Task<CenterChangeResult> UpsertAgentAsync(AgentProfile agent, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var document = AgentDocument.From(agent);
        return ChangeAsync(CenterEntity.Agent(agent.AgentId), expectedVersion, d => d with { Agents = Upsert(d.Agents, document, a => a.AgentId == agent.AgentId) }, _ => [agent.AgentId]);
    }

    public async Task<CenterChangeResult> RemoveAgentAsync(string agentId, long? expectedVersion = null)
    {
        if (_document.Agents.Any(a => a.AgentId == agentId))
        {
            var status = await GrainFactory.GetGrain<IAgentGrain>(agentId).GetStatusAsync();
            if (status.State != AgentState.LoggedOut)
            {
                throw new CenterChangeException("in-use", [new($"agents[{agentId}]", $"agent {agentId} is logged in (state {status.State}): log it out first")]);
            }
        }

        return await RemoveAsync(CenterEntity.Agent(agentId), expectedVersion, d => d.Agents.Any(a => a.AgentId == agentId), d => d with { Agents = d.Agents.RemoveAll(a => a.AgentId == agentId) }, _ => [],
            _ => [agentId]);
    }

    public Task<CenterChangeResult> UpsertQueueAsync(QueueDefinition queue, long? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return ChangeAsync(CenterEntity.Queue(queue.QueueId), expectedVersion, d => d with { Queues = Upsert(d.Queues, queue, q => q.QueueId == queue.QueueId) }, null);
    }

    public async Task<CenterChangeResult> RemoveQueueAsync(string queueId, long? expectedVersion = null)
    {
        if (_document.Queues.Any(q => q.QueueId == queueId))
        {
            var status = await GrainFactory.GetGrain<IQueueGrain>(queueId).GetStatusAsync();
            if (status.CallsWaiting + status.CallsOffered > 0)
            {
                throw new CenterChangeException("in-use", [new($"queues[{queueId}]", $"{status.CallsWaiting} calls wait and {status.CallsOffered} are offered in queue {queueId}")]);
            }
        }

        return await RemoveAsync(CenterEntity.Queue(queueId), expectedVersion, d => d.Queues.Any(q => q.QueueId == queueId), d => d with { Queues = d.Queues.RemoveAll(q => q.QueueId == queueId) },
            d => [.. d.Agents.Where(a => a.Queues.ContainsKey(queueId)).Select(a => $"agent {a.AgentId}"),
                  .. d.Queues.Where(q => q.QueueId != queueId && Refers(q, queueId)).Select(q => $"queue {q.QueueId}")]);
    }

    private async Task<CenterChangeResult> RemoveAsync(
        string entity,
        long? expectedVersion,
        Func<CenterDocument, bool> exists,
        Func<CenterDocument, CenterDocument> remove,
        Func<CenterDocument, string[]> referencedBy,
        Func<CenterDocument, string[]>? agentsToTell = null)
    {
        CheckVersion(entity, expectedVersion);
        if (!exists(_document))
        {
            return new CenterChangeResult(directory.Version, Removed: false);
        }

        var references = referencedBy(_document);
        if (references.Length > 0)
        {
            throw new CenterChangeException("in-use", [new("(remove)", $"still referred to by {string.Join(", ", references)}")]);
        }

        var result = await ChangeAsync(entity, expectedVersion, remove, agentsToTell);
        return result with { Removed = true };
    }

    /// <summary>
    /// Applies <paramref name="change"/> when <paramref name="entity"/> is still at <paramref name="expectedVersion"/> (a
    /// replace of the whole configuration, <paramref name="entity"/> null, checks the configuration's version).
    /// </summary>
    private async Task<CenterChangeResult> ChangeAsync(
        string? entity, long? expectedVersion, Func<CenterDocument, CenterDocument> change, Func<CenterDocument, string[]>? agentsToTell)
    {
        CheckVersion(entity, expectedVersion);
        var next = Normalize(change(_document));
        var problems = new List<ConfigurationProblem>();
        var configuration = CenterDocumentValidator.Validate(next, problems) ?? throw new CenterChangeException("invalid-configuration", problems);
        var previous = directory.Configuration;
        var version = directory.Version + 1;
        var versions = Versions(_document, next, version, _entityVersions);
        stored.State = new CenterGrainState { Version = version, Document = next, EntityVersions = new(versions) };
        await stored.WriteStateAsync();
        _document = next;
        _entityVersions = versions;
        directory.Set(configuration, version);
        Log.Changed(logger, version);
        // Every silo's copy is current before the change is answered (a silo that does not answer in time catches up
        // when it next renews its subscription).
        var snapshot = Snapshot();
        await _silos.Notify(silo => silo.ConfigurationChangedAsync(snapshot).WaitAsync(NotifyTimeout));
        Announce(previous, configuration, agentsToTell?.Invoke(next) ?? []);
        return new CenterChangeResult(version, EntityVersion: entity is not null && versions.TryGetValue(entity, out var changed) ? changed : version);
    }

    /// <summary>Tells the queues whose definition changed, and the agents whose profile or queues changed.</summary>
    private void Announce(CenterConfiguration previous, CenterConfiguration next, string[] agentsNamed)
    {
        var changedQueues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queue in next.Queues)
        {
            if (!previous.QueuesById.TryGetValue(queue.QueueId, out var old) || !Equals(old, queue))
            {
                changedQueues.Add(queue.QueueId);
                Forget(GrainFactory.GetGrain<IQueueRouting>(queue.QueueId).ConfigurationChangedAsync());
            }
        }

        var queuesAddedOrRemoved = previous.Queues.Length != next.Queues.Length || changedQueues.Count > 0;
        var agents = new HashSet<string>(agentsNamed, StringComparer.Ordinal);
        foreach (var agent in next.Agents)
        {
            if (!previous.AgentsById.TryGetValue(agent.AgentId, out var old) || !ReferenceEquals(old, agent) && !SameProfile(old, agent) || queuesAddedOrRemoved)
            {
                agents.Add(agent.AgentId);
            }
        }

        foreach (var agent in previous.Agents)
        {
            if (!next.AgentsById.ContainsKey(agent.AgentId))
            {
                agents.Add(agent.AgentId);
            }
        }

        foreach (var agentId in agents)
        {
            Forget(GrainFactory.GetGrain<Agents.IAgentRouting>(agentId).ProfileChangedAsync());
        }
    }

    private static bool SameProfile(AgentProfile a, AgentProfile b) =>
        a.TeamId == b.TeamId && a.VendorId == b.VendorId
        && a.Skills.Count == b.Skills.Count && a.Skills.All(p => b.Skills.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.QueuePriorities.Count == b.QueuePriorities.Count && a.QueuePriorities.All(p => b.QueuePriorities.TryGetValue(p.Key, out var v) && v == p.Value);

    private void CheckVersion(string? entity, long? expectedVersion)
    {
        if (expectedVersion is not { } expected)
        {
            return;
        }

        if (entity is null && expected != directory.Version)
        {
            throw new CenterChangeException("version-mismatch", [new("(version)", $"the configuration is at version {directory.Version}, not {expected}: read it again and re-apply the change")]);
        }

        if (entity is not null && _entityVersions.GetValueOrDefault(entity) is var current && current != expected)
        {
            var now = current == 0 ? "it no longer exists" : $"it was changed at version {current}";
            throw new CenterChangeException("version-mismatch", [new(entity, $"{entity} was read at version {expected}, but {now}: read it again and re-apply the change")]);
        }
    }

    /// <summary>
    /// The entity versions after a change from <paramref name="before"/> to <paramref name="after"/>: an entity that is new
    /// or different gets <paramref name="version"/> (so does one with no version yet: a store from before entity versions);
    /// an unchanged one keeps its version; a removed one is dropped.
    /// </summary>
    private static ImmutableDictionary<string, long> Versions(CenterDocument before, CenterDocument after, long version, IReadOnlyDictionary<string, long>? known)
    {
        var old = Fingerprints(before);
        var result = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var (entity, fingerprint) in Fingerprints(after))
        {
            var same = old.TryGetValue(entity, out var was) && was == fingerprint;
            result[entity] = same && known is not null && known.TryGetValue(entity, out var kept) ? kept : version;
        }

        return result.ToImmutable();
    }

    /// <summary>Each entity of <paramref name="d"/> by key, as text that differs exactly when the entity does.</summary>
    private static Dictionary<string, string> Fingerprints(CenterDocument d)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in d.Vendors)
        {
            result[CenterEntity.Vendor(v.VendorId)] = JsonSerializer.Serialize(v);
        }

        foreach (var t in d.Teams)
        {
            result[CenterEntity.Team(t.TeamId)] = JsonSerializer.Serialize(t);
        }

        foreach (var s in d.Skills)
        {
            result[CenterEntity.Skill(s)] = d.SkillNames?.GetValueOrDefault(s) ?? s;
        }

        foreach (var (codes, kind) in new[] { (d.ReasonCodes, ReasonCodeKind.NotReady), (d.Dispositions, ReasonCodeKind.Disposition) })
        {
            foreach (var c in codes.IsDefault ? [] : codes)
            {
                result[CenterEntity.ReasonCode(c)] = $"{kind} {JsonSerializer.Serialize(d.ReasonCodeDetails?.GetValueOrDefault(c))}";
            }
        }

        foreach (var a in d.Agents)
        {
            result[CenterEntity.Agent(a.AgentId)] = JsonSerializer.Serialize(a with
            {
                Skills = new(a.Skills.OrderBy(p => p.Key, StringComparer.Ordinal)),
                Queues = new(a.Queues.OrderBy(p => p.Key, StringComparer.Ordinal)),
            });
        }

        foreach (var q in d.Queues)
        {
            result[CenterEntity.Queue(q.QueueId)] = JsonSerializer.Serialize(q);
        }

        return result;
    }

    private static ImmutableArray<string> AddOnce(ImmutableArray<string> codes, string code) => codes.Contains(code) ? codes : codes.Add(code);

    private static ImmutableArray<T> Upsert<T>(ImmutableArray<T> items, T item, Func<T, bool> same)
    {
        var index = items.IndexOf(items.FirstOrDefault(same)!);
        return items.Any(same) ? items.SetItem(index, item) : items.Add(item);
    }

    private static bool Mentions(QueueDefinition q, string vendorId) =>
        q.VendorPolicy.Allowed.Contains(vendorId) || q.VendorPolicy.Preferred.Contains(vendorId) || q.VendorPolicy.Forbidden.Contains(vendorId)
        || q.Relaxation.Any(s => s.AdditionalVendors.Contains(vendorId));

    private static bool Refers(QueueDefinition q, string queueId) =>
        q.OverflowQueueId == queueId || q.Relaxation.Any(s => s.OverflowQueues.Contains(queueId));

    // Default immutable arrays do not serialize: every array in a stored document is a real (maybe empty) one.
    private static CenterDocument Normalize(CenterDocument d) => new(
        OrEmpty(d.Skills), OrEmpty(d.ReasonCodes), OrEmpty(d.Vendors), OrEmpty(d.Teams),
        [.. OrEmpty(d.Queues).Select(Normalize)], OrEmpty(d.Agents), OrEmpty(d.Dispositions),
        d.SkillNames ?? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        d.ReasonCodeDetails ?? ImmutableDictionary<string, ReasonCodeDetails>.Empty.WithComparers(StringComparer.Ordinal));

    private static QueueDefinition Normalize(QueueDefinition q) => q with
    {
        Relaxation = [.. OrEmpty(q.Relaxation).Select(s => s with { AdditionalVendors = OrEmpty(s.AdditionalVendors), OverflowQueues = OrEmpty(s.OverflowQueues) })],
        VendorPolicy = new VendorPolicy(OrEmpty(q.VendorPolicy.Allowed), OrEmpty(q.VendorPolicy.Preferred), OrEmpty(q.VendorPolicy.Forbidden)),
        TierPriorityBoost = q.TierPriorityBoost.IsDefault ? [0, 1, 2, 3] : q.TierPriorityBoost,
        RequiredSkills = OrEmpty(q.RequiredSkills),
        InHouseFirstTiers = OrEmpty(q.InHouseFirstTiers),
    };

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private void Forget(Task task) => OneWay.Observe(task, logger);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3500, Level = LogLevel.Information, Message = "Center configuration version {Version} loaded from {Source}: {Queues} queues, {Agents} agents")]
        public static partial void Loaded(ILogger logger, string source, long version, int queues, int agents);

        [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Center configuration changed to version {Version}")]
        public static partial void Changed(ILogger logger, long version);
    }
}
