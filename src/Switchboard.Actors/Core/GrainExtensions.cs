using System.Globalization;
using Switchboard.Actors.Invocation;

namespace Switchboard.Actors;

/// <summary>Primary-key accessors for grains and grain references, as in Orleans.</summary>
public static class GrainExtensions
{
    /// <summary>The grain id of a grain, or of a reference returned by <see cref="IGrainFactory"/>.</summary>
    public static GrainId GetGrainId(this IAddressable addressable) => addressable switch
    {
        Grain grain => grain.GrainId,
        GrainReference reference => reference.GrainId,
        _ => throw new ArgumentException("Neither a grain nor a grain reference from IGrainFactory.", nameof(addressable)),
    };

    /// <summary>The string key.</summary>
    public static string GetPrimaryKeyString(this IAddressable addressable) => addressable.GetGrainId().Key;

    /// <summary>The Guid key; throws when the grain is not keyed by Guid.</summary>
    public static Guid GetPrimaryKey(this IAddressable addressable)
    {
        var id = addressable.GetGrainId();
        return Guid.TryParseExact(id.Key, "N", out var guid) ? guid : throw new InvalidOperationException($"Grain {id} does not have a Guid key.");
    }

    /// <summary>The integer key; throws when the grain is not keyed by integer.</summary>
    public static long GetPrimaryKeyLong(this IAddressable addressable)
    {
        var id = addressable.GetGrainId();
        return long.TryParse(id.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Grain {id} does not have an integer key.");
    }
}
