using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Hosting;
using Switchboard.Routing.Queues;

namespace Switchboard.Benchmarks.Grains;

/// <summary>
/// <c>activation-memory [count]</c>: the process's memory with <paramref name="count"/> idle agent grains active (the real
/// AgentGrain of configured, logged-out agents on the in-memory store), beside the same silo before they were activated.
/// </summary>
public static class ActivationMemory
{
    public static async Task<int> RunAsync(int count, bool counters = false)
    {
        if (counters)
        {
            return await RunCountersAsync(count);
        }

        var agents = Enumerable.Range(0, count)
            .Select(i => new AgentProfile($"a{i:D6}", "t1", "v1", [new("sales", 5)], [new("sales", 1)]))
            .ToImmutableArray();
        var center = CenterDocumentValidator.Validate(new CenterDocument(
            ["sales"], [], [new VendorDefinition("v1", "v1")], [new TeamDefinition("t1", "t1", "v1")], [new QueueDefinition("sales")],
            [.. agents.Select(AgentDocument.From)]), [])!;
        using var silo = await BenchSilo.StartAsync(s => s.AddRouting(o =>
        {
            o.Center = center;
            o.ActivateAllOnStart = false;
        }));
        var grains = silo.Grains();
        await grains.GetGrain<IAgentGrain>(agents[0].AgentId).GetStatusAsync();
        var (heapBefore, rssBefore) = Settle();
        foreach (var batch in agents.Chunk(1000))
        {
            await Task.WhenAll(batch.Select(a => grains.GetGrain<IAgentGrain>(a.AgentId).GetStatusAsync()));
        }

        var (heapAfter, rssAfter) = Settle();
        Console.WriteLine($"{count:N0} idle agent grains: RSS {rssAfter / 1048576.0:F0} MB (silo before them {rssBefore / 1048576.0:F0} MB, " +
            $"+{(rssAfter - rssBefore) / 1048576.0:F0} MB); managed heap +{(heapAfter - heapBefore) / 1048576.0:F0} MB, " +
            $"{(heapAfter - heapBefore) / (double)count:F0} bytes a grain; goal: RSS <= 300 MB");
        await silo.StopAsync();
        return 0;
    }

    // The runtime's own cost: a grain with one int of state.
    private static async Task<int> RunCountersAsync(int count)
    {
        using var silo = await BenchSilo.StartAsync();
        var grains = silo.Grains();
        await grains.GetGrain<IBenchCounterGrain>("warm-up").Increment();
        var (heapBefore, rssBefore) = Settle();
        for (var i = 0; i < count; i += 1000)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(1000, count - i)).Select(n => grains.GetGrain<IBenchCounterGrain>($"c{n:D6}").Increment()));
        }

        var (heapAfter, rssAfter) = Settle();
        Console.WriteLine($"{count:N0} idle counter grains: RSS {rssAfter / 1048576.0:F0} MB (silo before them {rssBefore / 1048576.0:F0} MB, " +
            $"+{(rssAfter - rssBefore) / 1048576.0:F0} MB); managed heap +{(heapAfter - heapBefore) / 1048576.0:F0} MB, {(heapAfter - heapBefore) / (double)count:F0} bytes a grain");
        await silo.StopAsync();
        return 0;
    }

    private static (long Heap, long Rss) Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }
}
