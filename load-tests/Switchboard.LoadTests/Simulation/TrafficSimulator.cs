using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Switchboard.Routing.Calls;

namespace Switchboard.LoadTests.Simulation;

/// <summary>
/// The discrete-event loop. Callers arrive (Poisson), wait, are answered the moment the router offers them to an
/// agent (the agent's phone answers at once, so any wait is the router's), talk (exponential), and the agent
/// wraps up and is ready again. With a patience, a caller still waiting when it runs out hangs up.
/// <para>
/// Determinism: every random number comes from one <see cref="Random"/> seeded with the run's seed, drawn in
/// event order; events at the same instant run in the order they were scheduled; the router runs on the
/// driver's virtual clock and each step waits until the router is quiescent, so the same seed gives the same run.
/// </para>
/// </summary>
internal sealed class TrafficSimulator
{
    /// <summary>The virtual start of every run: a Monday, midnight UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private const int Batches = 20;

    private readonly SimulationScenario _scenario;
    private readonly SimulationOptions _options;
    private readonly IRoutingDriver _driver;
    private readonly Random _random;
    private readonly PriorityQueue<SimulatedEvent, (long Ticks, long Sequence)> _events = new();
    private readonly Dictionary<string, SimulatedCall> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallFigures> _queues = new(StringComparer.Ordinal);
    private readonly CallFigures[] _batches = new CallFigures[Batches];
    private readonly List<RouterDecision> _decisions = [];
    private readonly double[] _cumulativeRate;
    private readonly DateTimeOffset _measureFrom;
    private readonly DateTimeOffset _end;
    private readonly TimeSpan _threshold;
    private long _sequence;
    private long _callNumber;
    private long _operations;
    private double _busySeconds;
    private double _idleSeconds;

    public TrafficSimulator(SimulationScenario scenario, SimulationOptions options, IRoutingDriver driver)
    {
        _scenario = scenario;
        _options = options;
        _driver = driver;
        _random = new Random(options.Seed);
        _measureFrom = Start + options.Warmup;
        _end = Start + options.Duration;
        _threshold = TimeSpan.FromSeconds(options.ServiceLevelSeconds);
        _cumulativeRate = new double[scenario.Traffic.Length];
        var sum = 0.0;
        for (var i = 0; i < scenario.Traffic.Length; i++)
        {
            sum += scenario.Traffic[i].ArrivalsPerSecond;
            _cumulativeRate[i] = sum;
            _queues.TryAdd(scenario.Traffic[i].QueueId, new CallFigures());
        }

        for (var i = 0; i < Batches; i++)
        {
            _batches[i] = new CallFigures();
        }
    }

    /// <summary>Runs the scenario on <paramref name="driver"/> and returns what it measured.</summary>
    public static async Task<SimulationResult> RunAsync(SimulationScenario scenario, SimulationOptions options, IRoutingDriver driver, CancellationToken cancellationToken = default)
    {
        var simulator = new TrafficSimulator(scenario, options, driver);
        return await simulator.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SimulationResult> RunAsync(CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        await _driver.StartAsync(_scenario, Start).ConfigureAwait(false);
        foreach (var profile in _scenario.Center.Agents)
        {
            _agents.Add(profile.AgentId, new SimulatedAgent { IdleSince = Start });
            await _driver.LoginAsync(profile.AgentId).ConfigureAwait(false);
            _operations++;
            await AnswerOffersAsync().ConfigureAwait(false);
        }

        if (_scenario.TotalCallsPerHour > 0)
        {
            ScheduleNextArrival(Start);
        }

        while (_events.TryPeek(out _, out var key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = new DateTimeOffset(key.Ticks, TimeSpan.Zero);
            if (_driver.NextDue is { } due && due <= at)
            {
                // The router's own timers first (ticks, timeouts), each at its own time.
                await _driver.AdvanceToAsync(due).ConfigureAwait(false);
                await AnswerOffersAsync().ConfigureAwait(false);
                continue;
            }

            var e = _events.Dequeue();
            await _driver.AdvanceToAsync(at).ConfigureAwait(false);
            await HandleAsync(e).ConfigureAwait(false);
            await AnswerOffersAsync().ConfigureAwait(false);
        }

        foreach (var call in _calls.Values)
        {
            if (call.State == CallProgress.Waiting)
            {
                throw new InvalidOperationException($"call {call.CallId} is still waiting after the last event: the router lost it");
            }
        }

        // Agents still idle at the end were idle until the end of the measured window.
        foreach (var agent in _agents.Values)
        {
            if (!agent.Busy)
            {
                _idleSeconds += Overlap(agent.IdleSince, _end);
            }
        }

        var center = new CallFigures();
        foreach (var figures in _queues.Values)
        {
            center.Add(figures);
        }

        var single = _scenario.IsSingleQueue
            ? ErlangCPrediction.For(_scenario.Traffic[0], _scenario.Center.Agents.Length, _options.ServiceLevelSeconds)
            : null;
        return new SimulationResult(
            _driver.Name,
            _options,
            center,
            _queues,
            _busySeconds + _idleSeconds > 0 ? _busySeconds / (_busySeconds + _idleSeconds) : null,
            HalfWidth(b => b.ServiceLevel),
            HalfWidth(b => b.AsaSeconds),
            single,
            _operations,
            wall.Elapsed);
    }

    private async Task HandleAsync(SimulatedEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Arrival:
                await ArriveAsync().ConfigureAwait(false);
                break;
            case EventKind.Abandon:
                if (!_calls.TryGetValue(e.CallId!, out var call) || call.State != CallProgress.Waiting)
                {
                    return;
                }

                await _driver.AbandonAsync(call.CallId).ConfigureAwait(false);
                _operations++;
                call.State = CallProgress.Done;
                var wait = (_driver.Now - call.ArrivedAt).TotalSeconds;
                Count(call, f =>
                {
                    f.Abandoned++;
                    f.AbandonedAfterThreshold += wait > _threshold.TotalSeconds ? 1 : 0;
                    f.LongestWaitSeconds = Math.Max(f.LongestWaitSeconds, wait);
                });
                _calls.Remove(call.CallId);
                break;
            case EventKind.End:
                await EndAsync(_calls[e.CallId!]).ConfigureAwait(false);
                break;
            case EventKind.FinishWrapUp:
                await FinishWrapUpAsync(_calls[e.CallId!]).ConfigureAwait(false);
                break;
        }
    }

    private async Task ArriveAsync()
    {
        var now = _driver.Now;
        ScheduleNextArrival(now);
        var traffic = _scenario.Traffic[PickStream()];
        var number = ++_callNumber;
        var callId = "c" + number.ToString("D8", CultureInfo.InvariantCulture);

        // Every caller has a number of its own: a repeat caller would wait for its last agent, which Erlang C knows nothing of.
        var call = new SimulatedCall(callId, traffic, now, now >= _measureFrom);
        _calls.Add(callId, call);
        if (traffic.PatienceSeconds is { } patience)
        {
            Schedule(now + Exponential(patience), EventKind.Abandon, callId);
        }

        Count(call, f => f.Offered++);
        var skills = traffic.Skills.IsDefault ? ImmutableArray<SkillRequirement>.Empty : traffic.Skills;
        var routed = new Call(callId, traffic.QueueId, "+1" + (5550000000L + number).ToString(CultureInfo.InvariantCulture),
            CustomerTier.Standard, skills, traffic.Language, 0, now);
        await _driver.OfferAsync(routed).ConfigureAwait(false);
        _operations++;
    }

    /// <summary>Answers every offer the router made, at once, and lets voicemail calls go; until the router decides nothing more.</summary>
    private async Task AnswerOffersAsync()
    {
        while (true)
        {
            _decisions.Clear();
            await _driver.TakeDecisionsAsync(_decisions).ConfigureAwait(false);
            if (_decisions.Count == 0)
            {
                return;
            }

            foreach (var decision in _decisions)
            {
                if (decision.ToVoicemail)
                {
                    ToVoicemail(decision.CallId);
                }
                else
                {
                    await AnswerAsync(decision).ConfigureAwait(false);
                }
            }
        }
    }

    private void ToVoicemail(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.State != CallProgress.Waiting)
        {
            throw new InvalidOperationException($"the router sent call {callId} to voicemail, but that call is not waiting");
        }

        call.State = CallProgress.Done;
        _calls.Remove(callId);
        var wait = (_driver.Now - call.ArrivedAt).TotalSeconds;
        Count(call, f =>
        {
            f.TimedOut++;
            f.LongestWaitSeconds = Math.Max(f.LongestWaitSeconds, wait);
        });
    }

    private async Task AnswerAsync(RouterDecision offer)
    {
        if (!_calls.TryGetValue(offer.CallId, out var call) || call.State != CallProgress.Waiting)
        {
            throw new InvalidOperationException($"the router offered call {offer.CallId} to {offer.AgentId}, but that call is not waiting");
        }

        var agent = _agents.TryGetValue(offer.AgentId!, out var a)
            ? a
            : throw new InvalidOperationException($"the router offered call {offer.CallId} to unknown agent {offer.AgentId}");
        if (agent.Busy)
        {
            throw new InvalidOperationException($"the router offered call {offer.CallId} to {offer.AgentId}, who is busy with {agent.CallId}");
        }

        var now = _driver.Now;
        await _driver.AnswerAsync(call.CallId).ConfigureAwait(false);
        _operations++;
        call.State = CallProgress.Talking;
        call.AgentId = offer.AgentId!;
        call.AnsweredAt = now;
        agent.Busy = true;
        agent.CallId = call.CallId;
        _idleSeconds += Overlap(agent.IdleSince, now);
        agent.BusySince = now;

        var wait = (now - call.ArrivedAt).TotalSeconds;
        Count(call, f =>
        {
            f.Answered++;
            f.AnsweredWithinThreshold += wait <= _threshold.TotalSeconds ? 1 : 0;
            f.AnsweredAfterWaiting += wait > 0 ? 1 : 0;
            f.WaitOfAnsweredSeconds += wait;
            f.LongestWaitSeconds = Math.Max(f.LongestWaitSeconds, wait);
        });
        Schedule(now + Exponential(call.Traffic.AhtSeconds), EventKind.End, call.CallId);
    }

    private async Task EndAsync(SimulatedCall call)
    {
        await _driver.EndAsync(call.CallId).ConfigureAwait(false);
        _operations++;
        call.State = CallProgress.WrapUp;
        if (call.Traffic.WrapUpSeconds > 0)
        {
            // The router ends a wrap-up at the queue's maximum; the simulated agent finishes just before, so the
            // router and the simulator never race over who ended it.
            var wrapUp = Exponential(call.Traffic.WrapUpSeconds);
            var cap = _scenario.Center.QueuesById[call.Traffic.QueueId].MaxWrapUp - TimeSpan.FromMilliseconds(1);
            wrapUp = wrapUp < cap ? wrapUp : cap;
            if (wrapUp > TimeSpan.Zero)
            {
                Schedule(_driver.Now + wrapUp, EventKind.FinishWrapUp, call.CallId);
                return;
            }
        }

        await FinishWrapUpAsync(call).ConfigureAwait(false);
    }

    private async Task FinishWrapUpAsync(SimulatedCall call)
    {
        var now = _driver.Now;
        var agent = _agents[call.AgentId!];
        await _driver.FinishWrapUpAsync(call.AgentId!, call.CallId).ConfigureAwait(false);
        _operations++;
        call.State = CallProgress.Done;
        _calls.Remove(call.CallId);
        agent.Busy = false;
        agent.CallId = null;
        _busySeconds += Overlap(agent.BusySince, now);
        agent.IdleSince = now;
        var handle = (now - call.AnsweredAt).TotalSeconds;
        Count(call, f =>
        {
            f.Handled++;
            f.HandleSeconds += handle;
        });
    }

    private void ScheduleNextArrival(DateTimeOffset now)
    {
        var next = now + Exponential(1.0 / _cumulativeRate[^1]);
        if (next < _end)
        {
            Schedule(next, EventKind.Arrival, null);
        }
    }

    private int PickStream()
    {
        if (_cumulativeRate.Length == 1)
        {
            return 0;
        }

        var u = _random.NextDouble() * _cumulativeRate[^1];
        for (var i = 0; i < _cumulativeRate.Length - 1; i++)
        {
            if (u < _cumulativeRate[i])
            {
                return i;
            }
        }

        return _cumulativeRate.Length - 1;
    }

    /// <summary>An exponential draw with mean <paramref name="meanSeconds"/>, whole ticks.</summary>
    private TimeSpan Exponential(double meanSeconds) =>
        TimeSpan.FromTicks((long)Math.Round(-meanSeconds * Math.Log(1.0 - _random.NextDouble()) * TimeSpan.TicksPerSecond));

    private void Schedule(DateTimeOffset at, EventKind kind, string? callId) =>
        _events.Enqueue(new SimulatedEvent(kind, callId), (at.UtcTicks, ++_sequence));

    private void Count(SimulatedCall call, Action<CallFigures> update)
    {
        if (!call.Measured)
        {
            return;
        }

        update(_queues[call.Traffic.QueueId]);
        var measured = _end - _measureFrom;
        var batch = (int)Math.Min(Batches - 1, (call.ArrivedAt - _measureFrom).Ticks * Batches / measured.Ticks);
        update(_batches[batch]);
    }

    /// <summary>Seconds of [from, to) inside the measured window.</summary>
    private double Overlap(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from > _measureFrom ? from : _measureFrom;
        var end = to < _end ? to : _end;
        return end > start ? (end - start).TotalSeconds : 0;
    }

    /// <summary>95 % half-width of a figure by batch means over the measured window (batches by arrival time).</summary>
    private double? HalfWidth(Func<CallFigures, double?> figure)
    {
        var values = new List<double>(Batches);
        foreach (var batch in _batches)
        {
            if (figure(batch) is { } v)
            {
                values.Add(v);
            }
        }

        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        // t(0.975, 19) = 2.093; close enough for fewer batches too.
        return 2.093 * Math.Sqrt(variance / values.Count);
    }

    private enum EventKind
    {
        Arrival,
        Abandon,
        End,
        FinishWrapUp,
    }

    private enum CallProgress
    {
        Waiting,
        Talking,
        WrapUp,
        Done,
    }

    private sealed record SimulatedEvent(EventKind Kind, string? CallId);

    private sealed class SimulatedCall(string callId, TrafficStream traffic, DateTimeOffset arrivedAt, bool measured)
    {
        public string CallId { get; } = callId;

        public TrafficStream Traffic { get; } = traffic;

        public DateTimeOffset ArrivedAt { get; } = arrivedAt;

        public bool Measured { get; } = measured;

        public CallProgress State { get; set; }

        public string? AgentId { get; set; }

        public DateTimeOffset AnsweredAt { get; set; }
    }

    private sealed class SimulatedAgent
    {
        public bool Busy { get; set; }

        public string? CallId { get; set; }

        public DateTimeOffset BusySince { get; set; }

        public DateTimeOffset IdleSince { get; set; }
    }
}
