using Switchboard.Routing.Calls;
using Switchboard.Routing.InMemory;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// Drives the ideal <see cref="InMemoryRouter"/>: no actors, no I/O, every operation synchronous. It ticks once a
/// second while calls wait, as a queue grain's timer would, so relaxation, aging and max wait apply; a center
/// with none of them is never ticked (a tick would change nothing).
/// </summary>
internal sealed class InMemoryRoutingDriver(int seed) : IRoutingDriver
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private readonly List<RouterDecision> _decisions = [];
    private readonly HashSet<string> _waitingCalls = new(StringComparer.Ordinal);
    private readonly List<string> _left = [];
    private InMemoryRouter? _router;
    private DateTimeOffset _now;
    private DateTimeOffset _nextTick;
    private int _waiting;
    private bool _ticks;

    public string Name => "ideal";

    public DateTimeOffset Now => _now;

    public DateTimeOffset? NextDue => _ticks && _waiting > 0 ? _nextTick : null;

    private InMemoryRouter Router => _router ?? throw new InvalidOperationException("the driver is not started");

    public Task StartAsync(SimulationScenario scenario, DateTimeOffset start)
    {
        _now = start;
        _nextTick = start + TickInterval;
        _router = new InMemoryRouter(scenario.Center, start, seed);
        _ticks = scenario.Center.Queues.Any(q => !q.Relaxation.IsDefaultOrEmpty || q.Aging is not null || q.MaxWait is not null);
        return Task.CompletedTask;
    }

    public Task AdvanceToAsync(DateTimeOffset time)
    {
        if (time < _now)
        {
            return Task.CompletedTask;
        }

        if (!_ticks)
        {
            _now = time;
            return Task.CompletedTask;
        }

        // Ticks are on whole seconds from the start; one that is due is run at its own time.
        while (_nextTick <= time)
        {
            if (_waiting > 0)
            {
                _now = _nextTick;
                Router.Tick(_now);
                Collect();
                CollectVoicemail();
            }

            _nextTick += TickInterval;
            if (_waiting == 0 && _nextTick <= time)
            {
                // Nothing waits: skip straight past the target.
                var skipped = (long)Math.Ceiling((time - _nextTick).Ticks / (double)TickInterval.Ticks);
                _nextTick += TickInterval * Math.Max(0, skipped);
            }
        }

        _now = time;
        return Task.CompletedTask;
    }

    public Task LoginAsync(string agentId)
    {
        Router.Login(agentId, _now);
        Router.SetReady(agentId, _now);
        Collect();
        return Task.CompletedTask;
    }

    public Task OfferAsync(Call call)
    {
        _waiting++;
        _waitingCalls.Add(call.CallId);
        Router.Offer(call, _now);
        Collect();
        return Task.CompletedTask;
    }

    public Task AnswerAsync(string callId)
    {
        Router.Answer(callId, _now);
        return Task.CompletedTask;
    }

    public Task AbandonAsync(string callId)
    {
        _waiting--;
        _waitingCalls.Remove(callId);
        Router.Abandon(callId, _now);
        Collect();
        return Task.CompletedTask;
    }

    public Task EndAsync(string callId)
    {
        Router.Complete(callId, _now);
        return Task.CompletedTask;
    }

    public Task FinishWrapUpAsync(string agentId, string callId)
    {
        Router.FinishWrapUp(agentId, _now);
        Collect();
        return Task.CompletedTask;
    }

    public Task TakeDecisionsAsync(List<RouterDecision> decisions)
    {
        decisions.AddRange(_decisions);
        _decisions.Clear();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Collect()
    {
        foreach (var reservation in Router.LastReservations)
        {
            _decisions.Add(new RouterDecision(reservation.CallId, reservation.AgentId));
            _waitingCalls.Remove(reservation.CallId);
            _waiting--;
        }
    }

    /// <summary>Calls a tick sent to voicemail (max wait); overflowed and callback calls go on waiting.</summary>
    private void CollectVoicemail()
    {
        _left.Clear();
        foreach (var callId in _waitingCalls)
        {
            if (Router.Call(callId).State == CallState.TimedOut)
            {
                _left.Add(callId);
            }
        }

        _left.Sort(StringComparer.Ordinal);
        foreach (var callId in _left)
        {
            _waitingCalls.Remove(callId);
            _waiting--;
            _decisions.Add(new RouterDecision(callId, null));
        }
    }
}
