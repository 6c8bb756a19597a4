using Switchboard.Routing.Telemetry;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// The running center configuration inside a silo, for grains to read without a grain call on the hot path.
/// Only the center grain sets it; a new configuration replaces the old one whole.
/// </summary>
internal sealed class CenterDirectory
{
    private volatile Snapshot _current;

    /// <summary>
    /// Starts from the configuration the options give, so grains can serve even before the center grain has
    /// loaded the stored one (a host that runs only StartAsync of its hosted services); the center grain replaces
    /// it with the stored configuration when it activates.
    /// </summary>
    public CenterDirectory(IOptions<RoutingOptions> options)
    {
        var o = options.Value;
        var initial = o.Center ?? (o.CenterFile is { } file ? CenterConfigurationLoader.Load(file) : null)
            ?? CenterDocumentValidator.Validate(CenterDocument.Empty, [])!;
        _current = new Snapshot(initial, 0);
    }

    public CenterConfiguration Configuration => _current.Configuration;

    public long Version => _current.Version;

    public void Set(CenterConfiguration configuration, long version)
    {
        _current = new Snapshot(configuration, version);
        RoutingTelemetry.ShowQueues(configuration.QueuesById.Keys);
    }

    public QueueDefinition Queue(string queueId) =>
        _current.Configuration.QueuesById.TryGetValue(queueId, out var q) ? q : throw new RoutingNotFoundException("queue", queueId);

    public QueueDefinition? FindQueue(string queueId) => _current.Configuration.QueuesById.GetValueOrDefault(queueId);

    public AgentProfile Agent(string agentId) =>
        _current.Configuration.AgentsById.TryGetValue(agentId, out var a) ? a : throw new RoutingNotFoundException("agent", agentId);

    public AgentProfile? FindAgent(string agentId) => _current.Configuration.AgentsById.GetValueOrDefault(agentId);

    /// <summary>
    /// The queues whose calls <paramref name="agent"/> may take: those it serves, and those whose relaxation
    /// steps widen to a queue it serves.
    /// </summary>
    public string[] QueuesFor(AgentProfile agent) => _current.QueuesFor(agent);

    /// <summary>The agents who may take calls of <paramref name="queueId"/> (serve it, or one of its relaxation queues).</summary>
    public IEnumerable<AgentProfile> AgentsFor(string queueId)
    {
        var c = _current.Configuration;
        foreach (var agent in c.Agents)
        {
            if (Array.IndexOf(_current.QueuesFor(agent), queueId) >= 0)
            {
                yield return agent;
            }
        }
    }

    private sealed class Snapshot(CenterConfiguration configuration, long version)
    {
        private readonly FrozenDictionary<string, string[]> _widenedBy = WidenedBy(configuration);
        private readonly Dictionary<AgentProfile, string[]> _queuesFor = new(ReferenceEqualityComparer.Instance);

        public CenterConfiguration Configuration { get; } = configuration;

        public long Version { get; } = version;

        public string[] QueuesFor(AgentProfile agent)
        {
            lock (_queuesFor)
            {
                if (_queuesFor.TryGetValue(agent, out var cached))
                {
                    return cached;
                }
            }

            var result = new List<string>();
            foreach (var queue in agent.QueuePriorities.Keys)
            {
                if (Configuration.QueuesById.ContainsKey(queue) && !result.Contains(queue))
                {
                    result.Add(queue);
                }

                if (_widenedBy.TryGetValue(queue, out var widened))
                {
                    foreach (var other in widened)
                    {
                        if (!result.Contains(other))
                        {
                            result.Add(other);
                        }
                    }
                }
            }

            var array = result.ToArray();
            lock (_queuesFor)
            {
                _queuesFor[agent] = array;
            }

            return array;
        }

        // Queue id -> the queues whose relaxation steps widen to it.
        private static FrozenDictionary<string, string[]> WidenedBy(CenterConfiguration c)
        {
            var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var q in c.Queues)
            {
                foreach (var step in q.Relaxation.IsDefault ? [] : q.Relaxation)
                {
                    foreach (var target in step.OverflowQueues.IsDefault ? [] : step.OverflowQueues)
                    {
                        if (!map.TryGetValue(target, out var list))
                        {
                            map[target] = list = [];
                        }

                        list.Add(q.QueueId);
                    }
                }
            }

            return map.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        }
    }
}
