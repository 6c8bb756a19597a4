using System.Runtime.CompilerServices;

namespace Switchboard.Actors.Storage.InMemory;

/// <summary>
/// A grain store in process memory, for tests and single-process tools. It commits each write at once
/// (one transaction per write) but applies exactly the checks of the durable stores: ETags, fencing
/// and journal sequencing. Nothing survives the process.
/// </summary>
public sealed class InMemoryGrainStore : IGrainStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StateKey, StateRow> _states = [];
    private readonly Dictionary<int, long> _epochs = [];
    private readonly Dictionary<string, long> _lastSequences = new(StringComparer.Ordinal);
    private readonly List<JournalRecord> _journal = [];

    /// <inheritdoc />
    public JournalFeed Feed { get; } = new();

    // The journal again, by stream: a grain reads its own stream on activation, and a scan of the whole journal for
    // each one makes a long simulation quadratic.
    private readonly Dictionary<string, List<JournalRecord>> _streams = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Creates an in-memory store called <paramref name="name"/>.</summary>
    public InMemoryGrainStore(string name)
    {
        StoreRules.ValidateName(name, nameof(name));
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public StoreStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<StoredState?> ReadStateAsync(StateKey key, CancellationToken cancellationToken)
    {
        StoreRules.Validate(key, nameof(key));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_states.TryGetValue(key, out var row) && row.Data is not null
                ? new StoredState(row.Data, StoreRules.RenderETag(row.Version))
                : null);
        }
    }

    /// <inheritdoc />
    public Task<string> WriteStateAsync(StateWrite write, CancellationToken cancellationToken)
    {
        StoreRules.Validate(write);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            Fence(StoreRules.DescribeState(write.Key), write.Partition, write.Epoch);
            var version = CheckETag(write.Key, write.ETag);
            _states[write.Key] = new StateRow(write.Data.ToArray(), version + 1);
            Statistics.RecordBatch(1);
            return Task.FromResult(StoreRules.RenderETag(version + 1));
        }
    }

    /// <inheritdoc />
    public Task ClearStateAsync(StateClear clear, CancellationToken cancellationToken)
    {
        StoreRules.Validate(clear);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            Fence(StoreRules.DescribeState(clear.Key), clear.Partition, clear.Epoch);
            var version = CheckETag(clear.Key, clear.ETag);
            if (_states.TryGetValue(clear.Key, out var row) && row.Data is not null)
            {
                // A cleared row keeps its version as a tombstone, so an ETag from before the clear never matches again.
                _states[clear.Key] = new StateRow(null, version + 1);
            }
            Statistics.RecordBatch(1);
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task AppendJournalAsync(JournalAppend append, CancellationToken cancellationToken)
    {
        StoreRules.Validate(append);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            Fence(StoreRules.DescribeStream(append.Stream), append.Partition, append.Epoch);
            var last = _lastSequences.GetValueOrDefault(append.Stream);
            if (append.FirstSequence != last + 1)
            {
                throw new JournalConflictException(append.Stream, append.FirstSequence, last);
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
                var record = new JournalRecord(_journal.Count + 1, append.Stream, append.FirstSequence + i, entry.Type,
                    StoreRules.Truncate(entry.Timestamp), entry.Payload.ToArray());
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

    /// <inheritdoc />
    public Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        lock (_gate)
        {
            // Appends are refused unless they continue the stream, so the last appended sequence is the highest.
            return Task.FromResult(_lastSequences.GetValueOrDefault(stream));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalRecord> ReadJournalAsync(JournalQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StoreRules.Validate(query);
        List<JournalRecord> matches = [];
        lock (_gate)
        {
            var from = query.From is { } f ? StoreRules.Truncate(f) : (DateTimeOffset?)null;
            var to = query.To is { } t ? StoreRules.Truncate(t) : (DateTimeOffset?)null;
            // Positions are 1, 2, 3... in append order, so the records after AfterPosition start at that index.
            var source = query.Stream is null ? _journal : _streams.GetValueOrDefault(query.Stream) ?? [];
            var start = query.Stream is null ? (int)Math.Clamp(query.AfterPosition, 0, _journal.Count) : 0;
            for (var i = start; i < source.Count; i++)
            {
                var record = source[i];
                if (record.Position <= query.AfterPosition
                    || (query.Stream is not null && record.Stream != query.Stream)
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
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        return ValueTask.CompletedTask;
    }

    private void Fence(string target, int partition, long epoch)
    {
        var current = _epochs.GetValueOrDefault(partition, -1);
        if (current > epoch)
        {
            throw new StaleEpochException(target, partition, epoch, current);
        }
        _epochs[partition] = epoch;
    }

    /// <summary>Checks the ETag and returns the row's version (0 when there never was a row).</summary>
    private long CheckETag(StateKey key, string? expectedETag)
    {
        var exists = _states.TryGetValue(key, out var row);
        var live = exists && row!.Data is not null;
        if (!StoreRules.ETagMatches(expectedETag, row?.Version, live))
        {
            throw StoreRules.ETagMismatch(key, expectedETag, row?.Version, live);
        }
        return exists ? row!.Version : 0;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed record StateRow(byte[]? Data, long Version);
}
