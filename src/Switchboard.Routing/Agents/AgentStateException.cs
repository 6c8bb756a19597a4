namespace Switchboard.Routing.Agents;

/// <summary>An agent operation that its current state does not allow; the agent is unchanged.</summary>
public sealed class AgentStateException : RoutingException
{
    public AgentStateException(string code, string agentId, AgentState state, string action, string message)
        : base(code, message)
    {
        AgentId = agentId;
        State = state;
        Action = action;
    }

    public string AgentId { get; }

    public AgentState State { get; }

    /// <summary>The refused action, as a verb: <c>answer</c>, <c>reserve</c>, <c>logout</c>.</summary>
    public string Action { get; }
}
