using System.Collections.Concurrent;
using Switchboard.Actors;
using Switchboard.Actors.Timers;

namespace Switchboard.Actors.Tests.Runtime;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
    ValueTask<Guid> GetInstanceId();
    ValueTask Reset();
    Task Deactivate();
    Task<int> AddVia(string otherKey, int times);
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    public static readonly ConcurrentDictionary<string, int> Constructions = new();
    public static readonly ConcurrentDictionary<string, int> Deactivations = new();
    private readonly Guid _instance = Guid.NewGuid();
    private int _count;

    public CounterGrain() => Constructions.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);

    public Task<int> Increment() => Task.FromResult(++_count);
    public Task<int> Get() => Task.FromResult(_count);
    public ValueTask<Guid> GetInstanceId() => ValueTask.FromResult(_instance);

    public ValueTask Reset()
    {
        _count = 0;
        return ValueTask.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<int> AddVia(string otherKey, int times)
    {
        var other = GrainFactory.GetGrain<ICounterGrain>(otherKey);
        var last = 0;
        for (var i = 0; i < times; i++)
        {
            last = await other.Increment();
        }
        return last;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivations.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Records how many turns were inside the grain at once, and whether two threads ever ran its code together.</summary>
public interface ITurnProbe : IGrain
{
    Task Work(int yields);
    Task<(int MaxInside, bool Parallel)> Observed();
}

public interface ITurnGrain : ITurnProbe, IGrainWithStringKey
{
}

public interface IReentrantTurnGrain : ITurnProbe, IGrainWithStringKey
{
}

public abstract class TurnProbeGrain : Grain
{
    private int _inside;
    private int _maxInside;
    private int _threadsInside;
    private bool _parallel;

    public async Task Work(int yields)
    {
        _inside++;
        _maxInside = Math.Max(_maxInside, _inside);
        for (var i = 0; i < yields; i++)
        {
            Enter();
            await Task.Delay(1);
            Enter();
        }
        _inside--;
    }

    public Task<(int MaxInside, bool Parallel)> Observed() => Task.FromResult((_maxInside, _parallel));

    // Two threads in grain code at once would both see the counter above one.
    private void Enter()
    {
        if (Interlocked.Increment(ref _threadsInside) > 1)
        {
            _parallel = true;
        }
        Thread.SpinWait(2000);
        Interlocked.Decrement(ref _threadsInside);
    }
}

public sealed class TurnGrain : TurnProbeGrain, ITurnGrain
{
}

[Reentrant]
public sealed class ReentrantTurnGrain : TurnProbeGrain, IReentrantTurnGrain
{
}

/// <summary>Turns that wait at a gate the test opens, and an interleaving question about them.</summary>
public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>A turn that waits until the test opens gate <paramref name="id"/>.</summary>
    Task Hold(int id);

    /// <summary>The holds inside the grain now, and those that have finished, in order.</summary>
    [AlwaysInterleave]
    Task<(int[] Inside, int[] Finished)> Holds();
}

public sealed class GateGrain : Grain, IGateGrain
{
    public static readonly ConcurrentDictionary<(string Key, int Id), TaskCompletionSource> Gates = new();

    private readonly List<int> _inside = [];
    private readonly List<int> _finished = [];

    public static TaskCompletionSource Gate(string key, int id) =>
        Gates.GetOrAdd((key, id), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task Hold(int id)
    {
        _inside.Add(id);
        await Gate(this.GetPrimaryKeyString(), id).Task;
        _inside.Remove(id);
        _finished.Add(id);
    }

    public Task<(int[] Inside, int[] Finished)> Holds() => Task.FromResult((_inside.ToArray(), _finished.ToArray()));
}

public interface IFaultyGrain : IGrainWithIntegerKey
{
    Task<int> Throw(string message);
    Task Hang();
    Task<string> Echo(string text);
}

public sealed class FaultyGrain : Grain, IFaultyGrain
{
    public static readonly ConcurrentDictionary<long, TaskCompletionSource> Hangs = new();

    public Task<int> Throw(string message) => throw new InvalidOperationException(message);

    public Task Hang() => Hangs.GetOrAdd(this.GetPrimaryKeyLong(), _ => new TaskCompletionSource()).Task;

    public Task<string> Echo(string text) => Task.FromResult(text);
}

public interface IFailingActivationGrain : IGrainWithGuidKey
{
    Task<int> Ping();
}

public sealed class FailingActivationGrain : Grain, IFailingActivationGrain
{
    public static int Attempts;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref Attempts) == 1)
        {
            throw new InvalidOperationException("first activation refuses");
        }
        return Task.CompletedTask;
    }

    public Task<int> Ping() => Task.FromResult(Attempts);
}

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan due, TimeSpan period);
    Task<int> Ticks();
    Task Stop();
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    public static readonly ConcurrentDictionary<string, int> TickCounts = new();
    private IGrainTimer? _timer;

    public Task Start(TimeSpan due, TimeSpan period)
    {
        _timer = RegisterGrainTimer(_ =>
        {
            TickCounts.AddOrUpdate(this.GetPrimaryKeyString(), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(due, period) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(TickCounts.GetValueOrDefault(this.GetPrimaryKeyString()));

    public Task Stop()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task Touch();
}

[CollectionAgeLimit(Minutes = 2)]
public sealed class ShortLivedGrain : Grain, IShortLivedGrain
{
    public static readonly ConcurrentDictionary<string, DeactivationReason> Deactivated = new();

    public Task Touch() => Task.CompletedTask;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Deactivated[this.GetPrimaryKeyString()] = reason;
        return Task.CompletedTask;
    }
}

public interface IUnimplementedGrain : IGrainWithStringKey
{
    Task Nothing();
}
