using System.Globalization;
using Orleans.Storage;
using Switchboard.Routing.Journal;

namespace Switchboard.Silo.Storage;

/// <summary>
/// The rules every store of ours applies the same way: ETags, argument checks, journal sequencing and how times are
/// kept. The PostgreSQL journal's SQL mirrors them (docs/storage.md).
/// </summary>
internal static class StoreRules
{
    /// <summary>Sequences of a journal stream start at 1; an empty stream's last sequence is 0.</summary>
    public const long FirstSequence = 1;

    /// <summary>A state row's ETag is its version rendered as a decimal string; ETags compare as strings ("007" is not "7").</summary>
    public static string RenderETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The version an ETag names, or null when it cannot be one of ours (then it matches no row).</summary>
    public static long? ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && RenderETag(version) == etag ? version : null;

    public static string DescribeState(string stateName, GrainId grainId) => $"the '{stateName}' state of grain {grainId}";

    public static InconsistentStateException ETagMismatch(string store, string stateName, GrainId grainId, string? expected, long? storedVersion) =>
        new($"Store '{store}' refused a write to {DescribeState(stateName, grainId)}: the grain expected ETag {expected ?? "(none: no row)"}, " +
            $"the store holds {(storedVersion is { } v ? RenderETag(v) : "no row")}. Another activation wrote it since this one read it.",
            storedVersion is { } stored ? RenderETag(stored) : null!, expected!);

    public static void Validate(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        if (grainId.IsDefault)
        {
            throw new ArgumentException($"The grain id of the '{stateName}' state is empty (default GrainId).", nameof(grainId));
        }
    }

    public static void Validate(JournalAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (string.IsNullOrEmpty(append.Stream))
        {
            throw new ArgumentException("The journal stream name must not be null or empty.", nameof(append));
        }
        if (append.Entries is null || append.Entries.Count == 0)
        {
            throw new ArgumentException($"An append to journal stream '{append.Stream}' carries no entries.", nameof(append));
        }
        if (append.FirstSequence < FirstSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(append), append.FirstSequence, $"Journal stream '{append.Stream}': sequences start at {FirstSequence}.");
        }
        for (var i = 0; i < append.Entries.Count; i++)
        {
            if (append.Entries[i] is not { Type.Length: > 0 })
            {
                throw new ArgumentException($"Entry {i} of the append to journal stream '{append.Stream}' has no type.", nameof(append));
            }
        }
    }

    public static void Validate(JournalQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Stream is { Length: 0 })
        {
            throw new ArgumentException("JournalQuery.Stream must not be empty (leave it null to read every stream).", nameof(query));
        }
        if (query.StreamPrefix is { Length: 0 })
        {
            throw new ArgumentException("JournalQuery.StreamPrefix must not be empty (leave it null to read every stream).", nameof(query));
        }
        if (query.Types is { } types && (types.Count == 0 || types.Any(string.IsNullOrEmpty)))
        {
            throw new ArgumentException("JournalQuery.Types must name at least one type, none empty (leave it null to read every type).", nameof(query));
        }
        if (query.Limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "JournalQuery.Limit must be positive.");
        }
        if (query.FromSequence < 0 || query.AfterPosition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "JournalQuery.FromSequence and AfterPosition must not be negative.");
        }
    }

    /// <summary>Times are kept to the microsecond (PostgreSQL's precision), in UTC, in every store.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) => new(DateTime.UnixEpoch.Ticks + (microseconds * 10), TimeSpan.Zero);

    public static DateTimeOffset Truncate(DateTimeOffset time) => FromUnixMicroseconds(ToUnixMicroseconds(time));
}
