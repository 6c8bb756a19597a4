using Microsoft.Extensions.Time.Testing;
using Switchboard.LoadTests.Hosting;
using Switchboard.Routing.Adapters;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Hosting;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// Drives the real routing grains in an Orleans silo in this process, on a virtual clock (a FakeTimeProvider as the
/// grains' TimeProvider) and the in-memory store. The simulator plays one telephony adapter and every agent's desk, through the same grain
/// calls the gateway makes (docs/routing-grains.md). Offers are read from the adapter's outbox (RING_AGENT),
/// acknowledged at once, and answered by the simulator; after every step the driver waits for the silo to be
/// quiescent, so nothing the router does escapes the virtual instant it belongs to.
/// </summary>
internal sealed class GrainRoutingDriver : IRoutingDriver
{
    /// <summary>The adapter the simulator plays.</summary>
    public const string AdapterId = "simulator";

    private readonly Action<RoutingOptions>? _configure;
    private SiloQuiescence? _quiescence;
    private InProcessSilo? _silo;
    private IGrainFactory? _grains;

    /// <param name="configure">Changes to the routing options (tests); the center is set by <see cref="StartAsync"/>.</param>
    public GrainRoutingDriver(Action<RoutingOptions>? configure = null) => _configure = configure;

    public string Name => "grains";

    public DateTimeOffset Now => Clock.GetUtcNow();

    public DateTimeOffset? NextDue => Quiescence.NextDue;

    private SiloQuiescence Quiescence => _quiescence ?? throw new InvalidOperationException("the driver is not started");

    private FakeTimeProvider Clock => Quiescence.Clock;

    private IGrainFactory Grains => _grains ?? throw new InvalidOperationException("the driver is not started");

    public async Task StartAsync(SimulationScenario scenario, DateTimeOffset start)
    {
        _quiescence = new SiloQuiescence(new FakeTimeProvider(start));
        var quiescence = _quiescence;
        _silo = await InProcessSilo.StartAsync(silo =>
        {
            silo.UseVirtualTime(quiescence)
                .UseInMemoryStore(new InMemoryStore())
                .AddRouting(o =>
                {
                    // Nobody watches the wallboards of a simulation: live figures are refreshed every 15 min, not every
                    // second (that halves a run's time). Routing options, queue ticks included, keep their defaults.
                    o.FiguresRefreshInterval = TimeSpan.FromMinutes(15);
                    _configure?.Invoke(o);
                    o.Center = scenario.Center;
                    o.CenterFile = null;
                });
        }).ConfigureAwait(false);
        _grains = _silo.Grains;
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task AdvanceToAsync(DateTimeOffset time)
    {
        while (NextDue is { } due && due <= time)
        {
            if (due < Clock.GetUtcNow())
            {
                throw new InvalidOperationException($"A timer of the grains' clock is recorded due at {due:O}, before the clock's {Clock.GetUtcNow():O}: it would be waited for for ever");
            }

            AdvanceClockTo(due);
            await QuiesceAsync().ConfigureAwait(false);
        }

        AdvanceClockTo(time);
        await QuiesceAsync().ConfigureAwait(false);
    }

    private void AdvanceClockTo(DateTimeOffset time)
    {
        if (time > Clock.GetUtcNow())
        {
            Clock.SetUtcNow(time);
        }
        else if (time == Clock.GetUtcNow())
        {
            // A timer due now (armed with no delay) fires when the clock is told to move, even by nothing.
            Clock.Advance(TimeSpan.Zero);
        }
    }

    public async Task LoginAsync(string agentId)
    {
        var agent = Grains.GetGrain<IAgentGrain>(agentId);
        await agent.LoginAsync(new AgentLogin("sim/" + agentId)).ConfigureAwait(false);
        await agent.SetReadyAsync().ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task OfferAsync(Call call)
    {
        var offer = new CallOffer(AdapterId, call.CallId, call.CallerNumber, call.QueueId, call.Tier, call.RequiredSkills, call.Language,
            call.Priority, call.EnqueuedAt);
        await CallGrain(call.CallId).OfferAsync(offer).ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task AnswerAsync(string callId)
    {
        await CallGrain(callId).AnsweredAsync().ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task AbandonAsync(string callId)
    {
        await CallGrain(callId).CallerHungUpAsync().ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task EndAsync(string callId)
    {
        await CallGrain(callId).EndedAsync().ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task FinishWrapUpAsync(string agentId, string callId)
    {
        await Grains.GetGrain<IAgentGrain>(agentId).FinishWrapUpAsync(CallIds.For(AdapterId, callId)).ConfigureAwait(false);
        await QuiesceAsync().ConfigureAwait(false);
    }

    public async Task TakeDecisionsAsync(List<RouterDecision> decisions)
    {
        var adapter = Grains.GetGrain<IAdapterGrain>(AdapterId);
        var pending = await adapter.GetPendingAsync().ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return;
        }

        foreach (var instruction in pending)
        {
            // Every instruction is carried out at once: the phone rings, the call moves to the overflow queue, the
            // caller is offered a callback (and declines: they keep waiting), or goes to voicemail.
            await adapter.AckAsync(instruction.InstructionId, InstructionOutcome.Done).ConfigureAwait(false);
            switch (instruction.Action)
            {
                case RingAgent ring:
                    decisions.Add(new RouterDecision(instruction.ExternalCallId, ring.AgentId));
                    break;
                case PlaceCallback callback:
                    // A caller who kept their place by callback is called back and connected to the agent.
                    decisions.Add(new RouterDecision(instruction.ExternalCallId, callback.AgentId));
                    break;
                case SendToVoicemail:
                    decisions.Add(new RouterDecision(instruction.ExternalCallId, null));
                    break;
            }
        }

        await QuiesceAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync().ConfigureAwait(false);
        }

        _quiescence?.Dispose();
    }

    private ICallGrain CallGrain(string callId) => Grains.GetGrain<ICallGrain>(CallIds.For(AdapterId, callId));

    private Task QuiesceAsync() => Quiescence.WaitAsync();
}
