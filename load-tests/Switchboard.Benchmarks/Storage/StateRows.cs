using System.Text;
using Switchboard.Actors;
using Switchboard.Actors.Placement;
using Switchboard.Actors.Storage;

namespace Switchboard.Benchmarks.Storage;

/// <summary>The rows both sides of a store benchmark write: 1,000 agent grains with a ~200-byte JSON state each.</summary>
internal sealed class StateRows
{
    public const int Count = 1_000;

    /// <summary>Rounds of <see cref="Count"/> writes per measured invocation, so an iteration lasts well over 100 ms.</summary>
    public const int Rounds = 10;

    public StateRows()
    {
        Keys = new StateKey[Count];
        Partitions = new int[Count];
        Data = new byte[Count][];
        ETags = new string?[Count];
        for (var i = 0; i < Count; i++)
        {
            Keys[i] = new StateKey("profile", new GrainId("agent", $"agent-{i:D5}"));
            Partitions[i] = PartitionHash.Partition(Keys[i].GrainId, 256);
            Data[i] = Encoding.UTF8.GetBytes(
                $$$"""{"agentId":"agent-{{{i:D5}}}","state":"available","skills":["billing","sales","support"],"teams":["t{{{i % 40}}}"],"since":"2026-11-22T09:30:00Z","channels":{"voice":1,"chat":2}}""");
        }
    }

    public StateKey[] Keys { get; }
    public int[] Partitions { get; }
    public byte[][] Data { get; }

    /// <summary>The ETag each grain's next write must carry; the group-commit side keeps it current.</summary>
    public string?[] ETags { get; }

    /// <summary>1,000 concurrent writers, one write each, through the store's group commit.</summary>
    public async Task WriteAllConcurrentlyAsync(IGrainStore store)
    {
        var writes = new Task<string>[Count];
        for (var i = 0; i < Count; i++)
        {
            writes[i] = store.WriteStateAsync(new StateWrite(Keys[i], Data[i], ETags[i], Partitions[i], 1), CancellationToken.None);
        }
        var etags = await Task.WhenAll(writes);
        etags.CopyTo(ETags, 0);
    }
}
