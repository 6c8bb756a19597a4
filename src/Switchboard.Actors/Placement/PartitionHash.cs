using System.Text;

namespace Switchboard.Actors.Placement;

/// <summary>
/// A hash that is stable across processes and machines (FNV-1a, 32 bit over UTF-8), used to map
/// a grain to its partition. Never <see cref="string.GetHashCode()"/>: that is randomized per process.
/// </summary>
public static class PartitionHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The FNV-1a hash of <paramref name="grainId"/>'s type, a separator and its key.</summary>
    public static uint Hash(GrainId grainId)
    {
        var hash = OffsetBasis;
        hash = Mix(hash, grainId.Type);
        hash = (hash ^ '/') * Prime;
        return Mix(hash, grainId.Key);
    }

    /// <summary>The partition (0 .. <paramref name="partitionCount"/> - 1) a grain belongs to.</summary>
    public static int Partition(GrainId grainId, int partitionCount) =>
        (int)(Hash(grainId) % (uint)partitionCount);

    private static uint Mix(uint hash, string text)
    {
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < length; i++)
            {
                hash = (hash ^ buffer[i]) * Prime;
            }
        }
        return hash;
    }
}
