using Orleans.Storage;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>The ETag rules every grain storage of ours keeps, asked of one through Orleans' IGrainStorage.</summary>
internal static class ETagChecks
{
    /// <summary>
    /// A write under a stale ETag, a second first write, a clear under a stale ETag, and a first write over a tombstone
    /// are all refused with InconsistentStateException; a clear under the current ETag is not.
    /// </summary>
    public static async Task StaleWritersAreRefusedAsync(IGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<CounterState>(new CounterState { Count = 1 }, null);
        await storage.WriteStateAsync("counter", grain, state);
        var stale = state.ETag;
        await storage.WriteStateAsync("counter", grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, new GrainState<CounterState>(new CounterState(), stale)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, new GrainState<CounterState>(new CounterState(), null)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", grain, new GrainState<CounterState>(new CounterState(), stale)));
        await storage.ClearStateAsync("counter", grain, state);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, new GrainState<CounterState>(new CounterState(), null)));
        await storage.WriteStateAsync("counter", grain, state);
    }
}
