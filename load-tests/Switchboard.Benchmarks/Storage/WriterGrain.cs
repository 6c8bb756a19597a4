using Orleans;
using Orleans.Runtime;
using System.Diagnostics;

namespace Switchboard.Benchmarks.Storage;

[GenerateSerializer]
public sealed class WriterState
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public string Payload { get; set; } = "";
}

public interface IWriterGrain : IGrainWithIntegerKey
{
    /// <summary>One durable state write; returns how long WriteStateAsync took, in Stopwatch ticks.</summary>
    Task<long> WriteAsync(string payload);
}

public sealed class WriterGrain([PersistentState("writer")] IPersistentState<WriterState> state) : Grain, IWriterGrain
{
    public async Task<long> WriteAsync(string payload)
    {
        state.State.Count++;
        state.State.Payload = payload;
        var started = Stopwatch.GetTimestamp();
        await state.WriteStateAsync();
        return Stopwatch.GetTimestamp() - started;
    }
}
