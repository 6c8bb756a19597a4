using System.Runtime.CompilerServices;

namespace Switchboard.Routing.Journal;

/// <summary>
/// The event journal in process memory, for tests and the simulator: each append commits at once, with exactly the
/// sequence checks of the durable journals. Nothing survives the process.
/// </summary>
public sealed class InMemoryEventJournal : IEventJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lastSequences = new(StringComparer.Ordinal);
    private readonly List<JournalRecord> _journal = [];

    // The journal again, by stream: a grain reads its own stream on activation, and a scan of the whole journal for
    // each one makes a long simulation quadratic.
    private readonly Dictionary<string, List<JournalRecord>> _streams = new(StringComparer.Ordinal);

    public JournalFeed Feed { get; } = new();

    JournalFeed? IEventJournal.Feed => Feed;

    public JournalStatistics Statistics { get; } = new();

    /// <summary>When set, every append fails with it (tests of a store that refuses writes).</summary>
    public Exception? FailAppendsWith { get; set; }

    public Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        ArgumentException.ThrowIfNullOrEmpty(append.Stream);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (FailAppendsWith is { } failure)
            {
                return Task.FromException(failure);
            }

            var last = _lastSequences.GetValueOrDefault(append.Stream);
            if (append.FirstSequence != last + 1)
            {
                return Task.FromException(new JournalConflictException(append.Stream, append.FirstSequence, last));
            }

            if (!_streams.TryGetValue(append.Stream, out var stream))
            {
                stream = [];
                _streams.Add(append.Stream, stream);
            }

            List<JournalRecord>? feed = null;
            for (var i = 0; i < append.Entries.Count; i++)
            {
                var entry = append.Entries[i];
                var record = new JournalRecord(_journal.Count + 1, append.Stream, append.FirstSequence + i, entry.Type, Truncate(entry.Timestamp), entry.Payload.ToArray());
                _journal.Add(record);
                stream.Add(record);
                if (Feed.Wants(entry.Type))
                {
                    (feed ??= []).Add(JournalFeed.Record(record.Position, record.Stream, record.Sequence, entry, record.Timestamp));
                }
            }

            if (feed is not null)
            {
                // Inside the lock, so followers get records in position order.
                Feed.Publish(feed);
            }

            _lastSequences[append.Stream] = append.FirstSequence + append.Entries.Count - 1;
            Statistics.RecordBatch(1);
            return Task.CompletedTask;
        }
    }

    public Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        lock (_gate)
        {
            return Task.FromResult(_lastSequences.GetValueOrDefault(stream));
        }
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<JournalRecord> matches = [];
        lock (_gate)
        {
            var from = query.From is { } f ? Truncate(f) : (DateTimeOffset?)null;
            var to = query.To is { } t ? Truncate(t) : (DateTimeOffset?)null;
            // Positions are 1, 2, 3... in append order, so the records after AfterPosition start at that index.
            var source = query.Stream is null ? _journal : _streams.GetValueOrDefault(query.Stream) ?? [];
            var start = query.Stream is null ? (int)Math.Clamp(query.AfterPosition, 0, _journal.Count) : 0;
            for (var i = start; i < source.Count; i++)
            {
                var record = source[i];
                if (record.Position <= query.AfterPosition
                    || (query.StreamPrefix is not null && !record.Stream.StartsWith(query.StreamPrefix, StringComparison.Ordinal))
                    || (query.Types is not null && !query.Types.Contains(record.Type, StringComparer.Ordinal))
                    || record.Sequence < query.FromSequence
                    || (from is not null && record.Timestamp < from)
                    || (to is not null && record.Timestamp >= to))
                {
                    continue;
                }

                matches.Add(record);
                if (matches.Count == query.Limit)
                {
                    break;
                }
            }
        }

        foreach (var record in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask;
    }

    // Times are kept to the microsecond, as the durable journals store them.
    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
