using System.Globalization;

namespace Switchboard.Actors.Storage;

/// <summary>
/// The rules every store applies the same way: argument checks, ETag matching, fencing, journal
/// sequencing and how times are kept. The SQL of the PostgreSQL store mirrors these (see docs/storage.md).
/// </summary>
internal static class StoreRules
{
    /// <summary>Sequences of a journal stream start at 1; an empty stream's last sequence is 0.</summary>
    public const long FirstSequence = 1;

    public static string DescribeState(StateKey key) => $"the '{key.StateName}' state of grain {key.GrainId}";

    public static string DescribeStream(string stream) => $"journal stream '{stream}'";

    public static string RenderETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a writer expecting <paramref name="expectedETag"/> may change a row at <paramref name="storedVersion"/>
    /// (null: no row; a cleared row counts as no row but keeps its version, so an old ETag never matches again).
    /// </summary>
    public static bool ETagMatches(string? expectedETag, long? storedVersion, bool live) =>
        live ? expectedETag == RenderETag(storedVersion!.Value) : expectedETag is null;

    public static InconsistentStateException ETagMismatch(StateKey key, string? expectedETag, long? storedVersion, bool live) =>
        new(key, expectedETag, live ? RenderETag(storedVersion!.Value) : null);

    public static void ValidateName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
    }

    public static void Validate(StateKey key, string parameterName)
    {
        if (string.IsNullOrEmpty(key.StateName))
        {
            throw new ArgumentException("The state name must not be null or empty.", parameterName);
        }
        if (string.IsNullOrEmpty(key.GrainId.Type) || key.GrainId.Key is null)
        {
            throw new ArgumentException($"The grain id of the '{key.StateName}' state is empty (default GrainId).", parameterName);
        }
    }

    public static void Validate(StateWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Validate(write.Key, nameof(write));
        ValidateFence(write.Partition, write.Epoch, nameof(write));
    }

    public static void Validate(StateClear clear)
    {
        ArgumentNullException.ThrowIfNull(clear);
        Validate(clear.Key, nameof(clear));
        ValidateFence(clear.Partition, clear.Epoch, nameof(clear));
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
            var entry = append.Entries[i];
            if (entry is null || string.IsNullOrEmpty(entry.Type))
            {
                throw new ArgumentException($"Entry {i} of the append to journal stream '{append.Stream}' has no type.", nameof(append));
            }
        }
        ValidateFence(append.Partition, append.Epoch, nameof(append));
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
    }

    private static void ValidateFence(int partition, long epoch, string parameterName)
    {
        if (partition < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, partition, "The partition must not be negative.");
        }
        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, epoch, "The epoch must not be negative.");
        }
    }

    /// <summary>Times are kept to the microsecond (PostgreSQL's precision), in UTC, in every store.</summary>
    public static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTime.UnixEpoch.Ticks + (microseconds * 10), TimeSpan.Zero);

    public static DateTimeOffset Truncate(DateTimeOffset time) => FromUnixMicroseconds(ToUnixMicroseconds(time));
}
