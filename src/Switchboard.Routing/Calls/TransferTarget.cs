namespace Switchboard.Routing.Calls;

/// <summary>
/// Where an agent moves a call: another queue (<see cref="QueueId"/>; the call keeps its original arrival
/// time) or a named agent (<see cref="AgentId"/>, who must be Available). Exactly one is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.TransferTarget")]
public sealed record TransferTarget(string? QueueId = null, string? AgentId = null)
{
    public static TransferTarget ToQueue(string queueId) => new(QueueId: queueId);

    public static TransferTarget ToAgent(string agentId) => new(AgentId: agentId);
}
