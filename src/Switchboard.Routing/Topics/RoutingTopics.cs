namespace Switchboard.Routing.Topics;

/// <summary>
/// The names of the topics routing publishes on, and the keys inside them. Topics <c>agent/{id}</c>,
/// <c>queue/{id}</c>, <c>team/{id}</c>, <c>vendor/{id}</c> and <c>center</c> carry <see cref="StatusUpdate"/>
/// values; <c>adapter/{id}</c> carries <see cref="Adapters.AdapterInstruction"/> values keyed by instruction id
/// (removed when acknowledged, so a new subscriber's snapshot is the unacknowledged instructions).
/// </summary>
public static class RoutingTopics
{
    /// <summary>The center-wide topic: every agent's status, every queue's status, center figures.</summary>
    public const string Center = "center";

    /// <summary>The key of a topic's live figures.</summary>
    public const string FiguresKey = "figures";

    /// <summary>One agent: its status (with the pending offer and current call) and its figures.</summary>
    public static string Agent(string agentId) => $"agent/{agentId}";

    /// <summary>One queue: its status (calls waiting, longest wait, agents by state) and its figures.</summary>
    public static string Queue(string queueId) => $"queue/{queueId}";

    /// <summary>One team: the status of each of its agents and the team's figures.</summary>
    public static string Team(string teamId) => $"team/{teamId}";

    /// <summary>One vendor: the status of each of its agents and the vendor's figures.</summary>
    public static string Vendor(string vendorId) => $"vendor/{vendorId}";

    /// <summary>One telephony adapter's instructions (values: <see cref="Adapters.AdapterInstruction"/>).</summary>
    public static string Adapter(string adapterId) => $"adapter/{adapterId}";

    /// <summary>The key of an agent's status inside a topic.</summary>
    public static string AgentKey(string agentId) => $"agent/{agentId}";

    /// <summary>The key of a queue's status inside a topic.</summary>
    public static string QueueKey(string queueId) => $"queue/{queueId}";
}
