using System.Globalization;
using Switchboard.Actors.Invocation;

namespace Switchboard.Actors;

/// <summary>Primary-key accessors for grains and grain references, as in Orleans.</summary>
public static class GrainExtensions
{
    /// <summary>The string key of a grain or grain reference.</summary>
    public static string GetPrimaryKeyString(this Grain grain) => grain.GrainId.Key;

    /// <summary>The Guid key of a grain.</summary>
    public static Guid GetPrimaryKey(this Grain grain) => ParseGuid(grain.GrainId);

    /// <summary>The integer key of a grain.</summary>
    public static long GetPrimaryKeyLong(this Grain grain) => ParseLong(grain.GrainId);

    /// <summary>The grain id behind a reference returned by <see cref="IGrainFactory"/>.</summary>
    public static GrainId GetGrainId(this IGrain reference) =>
        reference is GrainReference r ? r.GrainId : throw new ArgumentException("Not a grain reference from IGrainFactory.", nameof(reference));

    /// <summary>The string key of a grain reference.</summary>
    public static string GetPrimaryKeyString(this IGrainWithStringKey reference) => reference.GetGrainId().Key;

    /// <summary>The Guid key of a grain reference.</summary>
    public static Guid GetPrimaryKey(this IGrainWithGuidKey reference) => ParseGuid(reference.GetGrainId());

    /// <summary>The integer key of a grain reference.</summary>
    public static long GetPrimaryKeyLong(this IGrainWithIntegerKey reference) => ParseLong(reference.GetGrainId());

    private static Guid ParseGuid(GrainId id) =>
        Guid.TryParseExact(id.Key, "N", out var guid) ? guid : throw new InvalidOperationException($"Grain {id} does not have a Guid key.");

    private static long ParseLong(GrainId id) =>
        long.TryParse(id.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Grain {id} does not have an integer key.");
}
