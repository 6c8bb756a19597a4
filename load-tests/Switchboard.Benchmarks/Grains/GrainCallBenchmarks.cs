using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Hosting;

namespace Switchboard.Benchmarks.Grains;

/// <summary>
/// A local call on an active Orleans grain beside its ideal measured in the same run: a direct interface call on a plain
/// object. Also a grain-to-grain call (what a queue asking an agent costs) and the previous build's figure is in
/// docs/benchmarks.md beside these.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainCallBenchmarks
{
    private IHost _silo = null!;
    private IBenchCounterGrain _grain = null!;
    private IBenchCounterGrain _other = null!;
    private IBenchCounterGrain _direct = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _silo = await BenchSilo.StartAsync();
        _grain = _silo.Grains().GetGrain<IBenchCounterGrain>("bench");
        _other = _silo.Grains().GetGrain<IBenchCounterGrain>("other");
        await _grain.Increment();
        await _other.Increment();
        _direct = new PlainCounter();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    [Benchmark(Baseline = true, Description = "direct interface call")]
    public Task<int> DirectCall() => _direct.Increment();

    [Benchmark(Description = "Orleans grain call (from outside a grain, in the silo)")]
    public Task<int> GrainCall() => _grain.Increment();

    [Benchmark(Description = "Orleans grain call that makes a grain-to-grain call")]
    public Task<int> GrainToGrainCall() => _grain.IncrementOther(_other);

    private sealed class PlainCounter : IBenchCounterGrain
    {
        private int _count;

        public Task<int> Increment() => Task.FromResult(Interlocked.Increment(ref _count));

        public Task<int> IncrementOther(IBenchCounterGrain other) => other.Increment();
    }
}
