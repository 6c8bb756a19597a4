namespace Switchboard.Routing.Adapters;

/// <summary>RESUME: take the caller off hold.</summary>
[GenerateSerializer, Immutable, Alias("sb.ResumeCaller")]
public sealed record ResumeCaller(string AgentId) : InstructionAction;
