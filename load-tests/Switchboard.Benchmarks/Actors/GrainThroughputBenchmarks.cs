using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;

namespace Switchboard.Benchmarks.Actors;

/// <summary>
/// Calls per second on 2 cores: two caller tasks (one per core), each making <see cref="CallsPerCaller"/> sequential
/// calls to its own active grain; beside the same load on a Channel&lt;T&gt; actor. The time reported is per call:
/// calls/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainThroughputBenchmarks
{
    private const int Callers = 2;
    private const int CallsPerCaller = 50_000;
    private ServiceProvider _services = null!;
    private IBenchCounterGrain[] _grains = null!;
    private ChannelActor[] _channelActors = null!;
    private readonly int _callers = Callers;

    [GlobalSetup]
    public async Task Setup()
    {
        _services = BenchSilo.Create();
        await BenchSilo.StartAsync(_services);
        var factory = _services.GetRequiredService<IGrainFactory>();
        _grains = Enumerable.Range(0, _callers).Select(i => factory.GetGrain<IBenchCounterGrain>($"t{i}")).ToArray();
        foreach (var grain in _grains)
        {
            await grain.Increment();
        }
        _channelActors = Enumerable.Range(0, _callers).Select(_ => new ChannelActor()).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await BenchSilo.StopAsync(_services);
        foreach (var actor in _channelActors)
        {
            actor.Dispose();
        }
    }

    [Benchmark(Description = "grain calls, 1 caller per core", OperationsPerInvoke = Callers * CallsPerCaller)]
    public Task GrainCalls() => Task.WhenAll(_grains.Select(g => Task.Run(async () =>
    {
        for (var i = 0; i < CallsPerCaller; i++)
        {
            await g.Increment();
        }
    })));

    [Benchmark(Description = "Channel<T> actor calls, 1 caller per core", OperationsPerInvoke = Callers * CallsPerCaller)]
    public Task ChannelActorCalls() => Task.WhenAll(_channelActors.Select(a => Task.Run(async () =>
    {
        for (var i = 0; i < CallsPerCaller; i++)
        {
            await a.Increment();
        }
    })));
}
