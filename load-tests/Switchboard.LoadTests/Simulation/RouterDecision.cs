namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// What the router decided for a waiting call: it reserved <paramref name="AgentId"/> (the agent's phone rings), or,
/// when <paramref name="AgentId"/> is null, the call reached its queue's maximum wait and went to voicemail.
/// </summary>
internal readonly record struct RouterDecision(string CallId, string? AgentId)
{
    public bool ToVoicemail => AgentId is null;
}
