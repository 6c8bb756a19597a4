using Orleans;

namespace Switchboard.Benchmarks.Grains;

public interface IBenchCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    /// <summary>Asks another counter grain: the cost of a grain-to-grain call.</summary>
    Task<int> IncrementOther(IBenchCounterGrain other);
}

public sealed class BenchCounterGrain : Grain, IBenchCounterGrain
{
    private int _count;

    public Task<int> Increment() => Task.FromResult(++_count);

    public Task<int> IncrementOther(IBenchCounterGrain other) => other.Increment();
}
