namespace Switchboard.Routing.Adapters;

/// <summary>REQUEUE: an agent transferred the call; release the agent's leg and keep the caller waiting in <paramref name="QueueId"/>.</summary>
[GenerateSerializer, Immutable, Alias("sb.RequeueCall")]
public sealed record RequeueCall(string AgentId, string QueueId) : InstructionAction;
