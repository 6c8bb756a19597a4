using System.Collections.Immutable;

namespace Switchboard.Routing.Queues;

/// <summary>
/// Which vendors' agents may take a queue's calls. <see cref="Allowed"/> empty means any vendor not
/// forbidden; <see cref="Preferred"/> is an order: agents of an earlier vendor are chosen first, all
/// other eligible agents after them. <see cref="Forbidden"/> wins over both, until a relaxation step adds
/// the vendor back.
/// </summary>
[GenerateSerializer, Immutable, Alias("sb.VendorPolicy")]
public sealed record VendorPolicy(ImmutableArray<string> Allowed, ImmutableArray<string> Preferred, ImmutableArray<string> Forbidden)
{
    /// <summary>Any vendor, no preference.</summary>
    public static VendorPolicy AllowAll { get; } = new([], [], []);

    /// <summary>
    /// Whether <paramref name="vendorId"/> may take the call, given the vendors the applicable relaxation
    /// steps added; <paramref name="rank"/> is its place in <see cref="Preferred"/> (lower first).
    /// </summary>
    public bool Admits(string vendorId, ImmutableArray<string> relaxedVendors, out int rank)
    {
        rank = IndexOf(Preferred, vendorId);
        if (rank < 0)
        {
            rank = Preferred.IsDefaultOrEmpty ? 0 : Preferred.Length;
        }

        if (IndexOf(relaxedVendors, vendorId) >= 0)
        {
            return true;
        }

        if (IndexOf(Forbidden, vendorId) >= 0)
        {
            return false;
        }

        return Allowed.IsDefaultOrEmpty || IndexOf(Allowed, vendorId) >= 0 || IndexOf(Preferred, vendorId) >= 0;
    }

    internal static int IndexOf(ImmutableArray<string> list, string value)
    {
        if (list.IsDefaultOrEmpty)
        {
            return -1;
        }

        for (var i = 0; i < list.Length; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
