namespace Switchboard.Routing.Adapters;

/// <summary>RESUME: take the caller off hold.</summary>
public sealed record ResumeCaller(string AgentId) : InstructionAction;
