namespace Switchboard.Routing.Agents;

/// <summary>An agent operation that its current state does not allow; the agent is unchanged.</summary>
[GenerateSerializer, Alias("sb.AgentStateException")]
public sealed class AgentStateException : RoutingException
{
    public AgentStateException(string code, string agentId, AgentState state, string action, string message)
        : base(code, message)
    {
        AgentId = agentId;
        State = state;
        Action = action;
    }

    [Id(0)]
    public string AgentId { get; }

    [Id(1)]
    public AgentState State { get; }

    /// <summary>The refused action, as a verb: <c>answer</c>, <c>reserve</c>, <c>logout</c>.</summary>
    [Id(2)]
    public string Action { get; }
}
