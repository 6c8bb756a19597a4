using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors;

namespace Switchboard.Benchmarks.Actors;

/// <summary>The cost of activating a grain with no state: a first call on a new key.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class ActivationBenchmarks
{
    private ServiceProvider _services = null!;
    private IGrainFactory _factory = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _services = BenchSilo.Create();
        await BenchSilo.StartAsync(_services);
        _factory = _services.GetRequiredService<IGrainFactory>();
    }

    [GlobalCleanup]
    public Task Cleanup() => BenchSilo.StopAsync(_services);

    [Benchmark(Description = "activate a grain (first call, no state)")]
    public Task<int> Activate() => _factory.GetGrain<IBenchCounterGrain>($"a{_next++}").Increment();
}

/// <summary>Memory held per idle activation: activate many grains, collect garbage, divide the heap growth.</summary>
public static class ActivationMemory
{
    public static async Task<int> RunAsync(int count)
    {
        var services = BenchSilo.Create();
        await BenchSilo.StartAsync(services);
        var factory = services.GetRequiredService<IGrainFactory>();
        await factory.GetGrain<IBenchCounterGrain>("warm-up").Increment();
        var before = Settle();
        for (var i = 0; i < count; i++)
        {
            await factory.GetGrain<IBenchCounterGrain>($"agent-{i:D6}").Increment();
        }
        var after = Settle();
        var perActivation = (after - before) / (double)count;
        Console.WriteLine($"{count:N0} idle activations: {(after - before) / 1024.0 / 1024.0:F1} MiB, {perActivation:F0} bytes each (budget 2,048)");
        await BenchSilo.StopAsync(services);
        return 0;
    }

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
