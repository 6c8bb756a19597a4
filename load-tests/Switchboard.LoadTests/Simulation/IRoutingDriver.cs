using Switchboard.Routing.Calls;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// The router under simulation, seen as a telephony adapter and the agents' desks see it. Every operation
/// happens at <see cref="Now"/> and returns once the router has done everything it causes (quiescence);
/// what it decided for waiting calls meanwhile (offers to agents, voicemail) is collected by
/// <see cref="TakeDecisionsAsync"/>, in the order decided.
/// </summary>
internal interface IRoutingDriver : IAsyncDisposable
{
    /// <summary>What the report calls this router.</summary>
    string Name { get; }

    DateTimeOffset Now { get; }

    /// <summary>When the router's own next timer is due (grain timers, ticks), or null.</summary>
    DateTimeOffset? NextDue { get; }

    /// <summary>Builds the router for the center of <paramref name="scenario"/> with its clock at <paramref name="start"/>.</summary>
    Task StartAsync(SimulationScenario scenario, DateTimeOffset start);

    /// <summary>Moves the clock to <paramref name="time"/> (never backwards), running the router's timers due on the way.</summary>
    Task AdvanceToAsync(DateTimeOffset time);

    /// <summary>The agent logs in and goes ready.</summary>
    Task LoginAsync(string agentId);

    /// <summary>The adapter offers a call; <see cref="Call.CallId"/> is the simulator's id of it.</summary>
    Task OfferAsync(Call call);

    /// <summary>The agent's phone answered the call offered to it.</summary>
    Task AnswerAsync(string callId);

    /// <summary>The caller hung up before an answer.</summary>
    Task AbandonAsync(string callId);

    /// <summary>The conversation ended; the agent is in wrap-up.</summary>
    Task EndAsync(string callId);

    /// <summary>The agent finished the wrap-up of <paramref name="callId"/> and is available again.</summary>
    Task FinishWrapUpAsync(string agentId, string callId);

    /// <summary>Moves the decisions made since the last take into <paramref name="decisions"/>, in the order made.</summary>
    Task TakeDecisionsAsync(List<RouterDecision> decisions);
}
