using System.Text;
using Switchboard.Actors.Placement;
using Switchboard.Actors.Storage;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>
/// The behaviour every grain store shares, run against each of them by a subclass. Each test gets a
/// fresh, empty store (a new file, database or instance).
/// </summary>
public abstract class GrainStoreContract : IAsyncLifetime
{
    protected const int Partitions = 256;
    private readonly List<IGrainStore> _opened = [];

    /// <summary>The store under test, initialized.</summary>
    protected IGrainStore Store { get; private set; } = null!;

    /// <summary>A new, uninitialized store over the same data as every other store this test created.</summary>
    protected abstract IGrainStore CreateStore();

    /// <summary>Whether the store is its journal's only writer and so hands commits to a feed (not PostgreSQL).</summary>
    protected virtual bool HasFeed => true;

    /// <summary>Prepares the backing data (a database, a folder) before the first store opens.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Removes the backing data after every store of the test is disposed.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        Store = await OpenStoreAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        await CleanUpAsync();
    }

    protected async Task<IGrainStore> OpenStoreAsync()
    {
        var store = CreateStore();
        _opened.Add(store);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    protected static StateKey Key(string grainKey, string stateName = "profile", string grainType = "agent") =>
        new(stateName, new GrainId(grainType, grainKey));

    protected static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    protected static int PartitionOf(StateKey key) => PartitionHash.Partition(key.GrainId, Partitions);

    protected static StateWrite Write(StateKey key, string json, string? etag, long epoch = 1) =>
        new(key, Json(json), etag, PartitionOf(key), epoch);

    protected static JournalEntry Entry(string type, DateTimeOffset timestamp, string json = "{}") => new(type, timestamp, Json(json));

    protected static JournalAppend Append(string stream, long firstSequence, params JournalEntry[] entries) =>
        new(stream, firstSequence, entries, PartitionHash.Partition(new GrainId("journal", stream), Partitions), 1);

    protected async Task<List<JournalRecord>> ReadAsync(JournalQuery query, IGrainStore? store = null)
    {
        var records = new List<JournalRecord>();
        await foreach (var record in (store ?? Store).ReadJournalAsync(query, CancellationToken.None))
        {
            records.Add(record);
        }
        return records;
    }

    [Fact]
    public async Task A_feed_follower_takes_the_records_of_its_types_committed_after_it_started_in_position_order_with_their_values()
    {
        Assert.Equal(HasFeed, Store.Feed is not null);
        if (Store.Feed is not { } feed)
        {
            return;
        }

        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        await Store.AppendJournalAsync(Append("call/1", 1, Entry("call.offered", t)), CancellationToken.None);
        using var follower = feed.Follow(["call.offered", "call.answered"]);
        var offered = new object();
        await Store.AppendJournalAsync(Append("call/2", 1,
            Entry("call.offered", t.AddSeconds(1)) with { Value = offered },
            Entry("call.queued", t.AddSeconds(2)),
            Entry("call.answered", t.AddSeconds(3), """{"agent":"a1"}""")), CancellationToken.None);

        var taken = new List<JournalRecord>();
        while (follower.TryTake(out var record))
        {
            taken.Add(record);
        }
        var stored = await ReadAsync(new JournalQuery { Stream = "call/2" });

        Assert.False(follower.Overflowed);
        Assert.Equal(["call.offered", "call.answered"], taken.Select(r => r.Type));
        Assert.Equal([stored[0].Position, stored[2].Position], taken.Select(r => r.Position));
        Assert.Equal([1L, 3L], taken.Select(r => r.Sequence));
        Assert.All(taken, r => Assert.Equal("call/2", r.Stream));
        Assert.Equal(stored[0].Timestamp, taken[0].Timestamp);
        Assert.Same(offered, taken[0].Value);
        Assert.True(taken[0].Payload.IsEmpty);
        Assert.Null(taken[1].Value);
        Assert.Equal("""{"agent":"a1"}""", Text(taken[1].Payload));
    }

    [Fact]
    public async Task A_feed_follower_past_its_capacity_drops_what_waits_says_so_and_signals_while_a_stopped_one_gets_nothing()
    {
        if (Store.Feed is not { } feed)
        {
            Assert.False(HasFeed);
            return;
        }

        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var small = feed.Follow(["e"], capacity: 2);
        var signals = 0;
        small.SignalWhenWaiting(2, () => Interlocked.Increment(ref signals));
        var stopped = feed.Follow(["e"]);
        stopped.Dispose();

        await Store.AppendJournalAsync(Append("s/1", 1, Entry("e", t), Entry("e", t), Entry("e", t)), CancellationToken.None);

        Assert.True(small.Overflowed);
        Assert.False(small.TryTake(out _));
        Assert.Equal(2, signals); // two records waiting, then the overflow
        Assert.False(stopped.TryTake(out _));
        small.Dispose();
        Assert.False(feed.HasFollowers);
    }

    [Fact]
    public async Task A_written_state_reads_back_with_the_etag_the_write_returned()
    {
        var key = Key("a1");
        var etag = await Store.WriteStateAsync(Write(key, """{"name":"Ada"}""", null), CancellationToken.None);

        var stored = await Store.ReadStateAsync(key, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal("""{"name":"Ada"}""", Text(stored.Data));
        Assert.Equal(etag, stored.ETag);
    }

    [Fact]
    public async Task An_empty_state_reads_back_as_empty_not_as_missing()
    {
        var key = Key("empty");
        var etag = await Store.WriteStateAsync(new StateWrite(key, ReadOnlyMemory<byte>.Empty, null, PartitionOf(key), 1), CancellationToken.None);

        var stored = await Store.ReadStateAsync(key, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(0, stored.Data.Length);
        Assert.Equal(etag, stored.ETag);
    }

    [Fact]
    public async Task A_grain_that_was_never_written_reads_as_null()
    {
        Assert.Null(await Store.ReadStateAsync(Key("nobody"), CancellationToken.None));
    }

    [Fact]
    public async Task Each_write_under_the_current_etag_gives_a_new_etag()
    {
        var key = Key("a2");
        var first = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);
        var second = await Store.WriteStateAsync(Write(key, """{"v":2}""", first), CancellationToken.None);

        Assert.NotEqual(first, second);
        var stored = await Store.ReadStateAsync(key, CancellationToken.None);
        Assert.Equal(("""{"v":2}""", second), (Text(stored!.Data), stored.ETag));
    }

    [Fact]
    public async Task A_write_against_a_stale_etag_is_refused_and_changes_nothing()
    {
        var key = Key("a3");
        var first = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);
        var second = await Store.WriteStateAsync(Write(key, """{"v":2}""", first), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Store.WriteStateAsync(Write(key, """{"v":3}""", first), CancellationToken.None));

        Assert.Equal((key, first, second), (error.Key, error.ExpectedETag, error.StoredETag));
        Assert.Contains("profile", error.Message);
        Assert.Contains("agent/a3", error.Message);
        var stored = await Store.ReadStateAsync(key, CancellationToken.None);
        Assert.Equal(("""{"v":2}""", second), (Text(stored!.Data), stored.ETag));
    }

    [Fact]
    public async Task ETags_compare_exactly_so_a_lookalike_of_the_stored_etag_is_refused()
    {
        var key = Key("a9");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);

        foreach (var lookalike in new[] { "0" + etag, " " + etag, etag + " ", "+" + etag, "x" })
        {
            var error = await Assert.ThrowsAsync<InconsistentStateException>(
                () => Store.WriteStateAsync(Write(key, """{"v":2}""", lookalike), CancellationToken.None));
            Assert.Equal(etag, error.StoredETag);
        }
        Assert.Equal(etag, (await Store.ReadStateAsync(key, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task A_write_expecting_no_row_is_refused_when_the_grain_already_has_state()
    {
        var key = Key("a4");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Store.WriteStateAsync(Write(key, """{"v":2}""", null), CancellationToken.None));

        Assert.Equal((null, etag), (error.ExpectedETag, error.StoredETag));
        Assert.Equal("""{"v":1}""", Text((await Store.ReadStateAsync(key, CancellationToken.None))!.Data));
    }

    [Fact]
    public async Task A_write_with_an_etag_to_a_grain_without_state_is_refused_and_creates_nothing()
    {
        var key = Key("a5");

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Store.WriteStateAsync(Write(key, """{"v":1}""", "7"), CancellationToken.None));

        Assert.Equal(("7", null), (error.ExpectedETag, error.StoredETag));
        Assert.Null(await Store.ReadStateAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Clearing_state_removes_it_and_an_etag_from_before_the_clear_never_matches_again()
    {
        var key = Key("a6");
        var first = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);

        await Store.ClearStateAsync(new StateClear(key, first, PartitionOf(key), 1), CancellationToken.None);

        Assert.Null(await Store.ReadStateAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Store.WriteStateAsync(Write(key, """{"v":2}""", first), CancellationToken.None));
        var fresh = await Store.WriteStateAsync(Write(key, """{"v":3}""", null), CancellationToken.None);
        Assert.NotEqual(first, fresh);
        Assert.Equal(("""{"v":3}""", fresh), (Text((await Store.ReadStateAsync(key, CancellationToken.None))!.Data), fresh));
    }

    [Fact]
    public async Task A_clear_against_a_stale_etag_is_refused_and_keeps_the_state()
    {
        var key = Key("a7");
        var first = await Store.WriteStateAsync(Write(key, """{"v":1}""", null), CancellationToken.None);
        var second = await Store.WriteStateAsync(Write(key, """{"v":2}""", first), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Store.ClearStateAsync(new StateClear(key, first, PartitionOf(key), 1), CancellationToken.None));

        Assert.Equal(second, error.StoredETag);
        Assert.Equal(second, (await Store.ReadStateAsync(key, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task Clearing_a_grain_without_state_under_no_etag_succeeds_and_leaves_none()
    {
        var key = Key("a8");

        await Store.ClearStateAsync(new StateClear(key, null, PartitionOf(key), 1), CancellationToken.None);

        Assert.Null(await Store.ReadStateAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task States_are_kept_apart_by_state_name_grain_type_and_grain_key()
    {
        StateKey[] keys = [Key("k"), Key("k", stateName: "skills"), Key("k", grainType: "queue"), Key("k2")];
        foreach (var key in keys)
        {
            await Store.WriteStateAsync(Write(key, $$"""{"of":"{{key}}"}""", null), CancellationToken.None);
        }

        foreach (var key in keys)
        {
            Assert.Equal($$"""{"of":"{{key}}"}""", Text((await Store.ReadStateAsync(key, CancellationToken.None))!.Data));
        }
    }

    [Fact]
    public async Task Journal_appends_read_back_in_append_order_with_every_field()
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero).AddTicks(1234567);
        await Store.AppendJournalAsync(Append("call/1", 1, Entry("call.offered", t0, """{"q":"billing"}"""), Entry("call.queued", t0.AddSeconds(1))), CancellationToken.None);
        await Store.AppendJournalAsync(Append("call/2", 1, Entry("call.offered", t0.AddSeconds(2))), CancellationToken.None);
        await Store.AppendJournalAsync(Append("call/1", 3, Entry("call.answered", t0.AddSeconds(3))), CancellationToken.None);

        var records = await ReadAsync(new JournalQuery());

        Assert.Equal(
            [("call/1", 1L, "call.offered"), ("call/1", 2L, "call.queued"), ("call/2", 1L, "call.offered"), ("call/1", 3L, "call.answered")],
            records.Select(r => (r.Stream, r.Sequence, r.Type)));
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Position < pair.Second.Position), "positions grow in append order");
        Assert.Equal("""{"q":"billing"}""", Text(records[0].Payload));
        // Times are kept to the microsecond, in UTC.
        Assert.Equal(t0.AddTicks(-(t0.UtcTicks % 10)), records[0].Timestamp);
        Assert.Equal(TimeSpan.Zero, records[0].Timestamp.Offset);
    }

    [Fact]
    public async Task Appends_queued_together_across_streams_take_positions_in_the_order_they_were_queued()
    {
        // A grain queues its write and, without waiting for it, asks another grain to act, which writes too (ADR 004):
        // the later write must never be durable before the earlier one. Commits in queue order, each batch one
        // transaction, give that; a store that reordered a batch (by stream, by partition) would fail here.
        var t = DateTimeOffset.UtcNow;
        var streams = Enumerable.Range(0, 400).Select(i => $"order/{(i * 7919) % 400:000}").ToList();
        var appends = streams.Select(stream => Store.AppendJournalAsync(Append(stream, 1, Entry("e", t)), CancellationToken.None)).ToList();
        await Task.WhenAll(appends);

        var records = await ReadAsync(new JournalQuery { StreamPrefix = "order/" });
        Assert.Equal(streams, records.Select(r => r.Stream));
        Assert.True(records.Zip(records.Skip(1)).All(pair => pair.First.Position < pair.Second.Position), "positions grow in queue order");
    }

    [Fact]
    public async Task The_last_sequence_of_a_stream_is_where_the_next_append_starts()
    {
        var t = DateTimeOffset.UtcNow;
        await Store.AppendJournalAsync(Append("agent/7", 1, Entry("a", t), Entry("b", t), Entry("c", t)), CancellationToken.None);
        await Store.AppendJournalAsync(Append("agent/70", 1, Entry("a", t)), CancellationToken.None);

        Assert.Equal(3L, await Store.GetLastSequenceAsync("agent/7", CancellationToken.None));
        Assert.Equal(0L, await Store.GetLastSequenceAsync("agent/8", CancellationToken.None));
        await Store.AppendJournalAsync(Append("agent/7", 4, Entry("d", t)), CancellationToken.None);
        Assert.Equal(4L, await Store.GetLastSequenceAsync("agent/7", CancellationToken.None));
    }

    [Fact]
    public async Task An_append_that_repeats_a_sequence_is_refused_and_writes_nothing()
    {
        var t = DateTimeOffset.UtcNow;
        await Store.AppendJournalAsync(Append("call/3", 1, Entry("a", t), Entry("b", t)), CancellationToken.None);

        var error = await Assert.ThrowsAsync<JournalConflictException>(
            () => Store.AppendJournalAsync(Append("call/3", 2, Entry("c", t), Entry("d", t)), CancellationToken.None));

        Assert.Equal(("call/3", 2L, 2L), (error.Stream, error.FirstSequence, error.LastStoredSequence));
        Assert.Equal(["a", "b"], (await ReadAsync(new JournalQuery { Stream = "call/3" })).Select(r => r.Type));
    }

    [Fact]
    public async Task An_append_that_leaves_a_gap_is_refused_and_a_new_stream_starts_at_sequence_one()
    {
        var t = DateTimeOffset.UtcNow;

        var gap = await Assert.ThrowsAsync<JournalConflictException>(
            () => Store.AppendJournalAsync(Append("call/4", 2, Entry("a", t)), CancellationToken.None));
        await Store.AppendJournalAsync(Append("call/4", 1, Entry("a", t)), CancellationToken.None);
        var later = await Assert.ThrowsAsync<JournalConflictException>(
            () => Store.AppendJournalAsync(Append("call/4", 3, Entry("c", t)), CancellationToken.None));

        Assert.Equal(0L, gap.LastStoredSequence);
        Assert.Equal(1L, later.LastStoredSequence);
        Assert.Single(await ReadAsync(new JournalQuery { Stream = "call/4" }));
    }

    [Fact]
    public async Task Journal_queries_select_by_stream_prefix_sequence_time_window_position_and_limit()
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        await Store.AppendJournalAsync(Append("call/1", 1, Entry("e1", t0), Entry("e2", t0.AddMinutes(1)), Entry("e3", t0.AddMinutes(2))), CancellationToken.None);
        await Store.AppendJournalAsync(Append("agent/1", 1, Entry("e4", t0.AddMinutes(3))), CancellationToken.None);
        await Store.AppendJournalAsync(Append("call/2", 1, Entry("e5", t0.AddMinutes(4))), CancellationToken.None);
        await Store.AppendJournalAsync(Append("calls", 1, Entry("e6", t0.AddMinutes(5))), CancellationToken.None);
        var all = await ReadAsync(new JournalQuery());

        async Task<string[]> Types(JournalQuery query) => (await ReadAsync(query)).Select(r => r.Type).ToArray();

        Assert.Equal(["e1", "e2", "e3"], await Types(new JournalQuery { Stream = "call/1" }));
        Assert.Equal(["e2", "e3"], await Types(new JournalQuery { Stream = "call/1", FromSequence = 2 }));
        Assert.Equal(["e1", "e2", "e3", "e5"], await Types(new JournalQuery { StreamPrefix = "call/" }));
        Assert.Equal(["e2", "e3", "e4"], await Types(new JournalQuery { From = t0.AddMinutes(1), To = t0.AddMinutes(4) }));
        Assert.Equal(["e4", "e5", "e6"], await Types(new JournalQuery { AfterPosition = all[2].Position }));
        Assert.Equal(["e1", "e2"], await Types(new JournalQuery { Limit = 2 }));
        Assert.Equal(["e5"], await Types(new JournalQuery { StreamPrefix = "call/", From = t0.AddMinutes(3), Limit = 5 }));
        Assert.Empty(await Types(new JournalQuery { Stream = "call/9" }));
        Assert.Equal(["e2", "e4", "e5"], await Types(new JournalQuery { Types = ["e5", "e2", "e4", "e9"] }));
        Assert.Equal(["e5"], await Types(new JournalQuery { StreamPrefix = "call/", Types = ["e4", "e5"] }));
    }

    [Fact]
    public async Task A_write_with_an_older_epoch_is_refused_and_changes_nothing()
    {
        var key = Key("f1");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null, epoch: 5), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StaleEpochException>(
            () => Store.WriteStateAsync(Write(key, """{"v":2}""", etag, epoch: 4), CancellationToken.None));

        Assert.Equal((PartitionOf(key), 4L, 5L), (error.Partition, error.WriterEpoch, error.CurrentEpoch));
        Assert.Contains("agent/f1", error.Message);
        Assert.Equal(("""{"v":1}""", etag), (Text((await Store.ReadStateAsync(key, CancellationToken.None))!.Data), (await Store.ReadStateAsync(key, CancellationToken.None))!.ETag));
    }

    [Fact]
    public async Task A_write_with_a_newer_epoch_raises_the_partition_epoch_and_fences_out_the_older_one()
    {
        var key = Key("f2");
        var neighbour = Key("f2-neighbour");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null, epoch: 1), CancellationToken.None);

        var raised = await Store.WriteStateAsync(Write(key, """{"v":2}""", etag, epoch: 2), CancellationToken.None);

        // Any write to the same partition at the old epoch is now refused, whatever the grain.
        var sameGrain = await Assert.ThrowsAsync<StaleEpochException>(
            () => Store.WriteStateAsync(Write(key, """{"v":3}""", raised, epoch: 1), CancellationToken.None));
        var otherGrain = await Assert.ThrowsAsync<StaleEpochException>(
            () => Store.WriteStateAsync(new StateWrite(neighbour, Json("{}"), null, PartitionOf(key), 1), CancellationToken.None));
        Assert.Equal(2L, sameGrain.CurrentEpoch);
        Assert.Equal(2L, otherGrain.CurrentEpoch);
        await Store.WriteStateAsync(Write(key, """{"v":4}""", raised, epoch: 2), CancellationToken.None);
        Assert.Equal("""{"v":4}""", Text((await Store.ReadStateAsync(key, CancellationToken.None))!.Data));
    }

    [Fact]
    public async Task Clears_and_journal_appends_of_an_older_epoch_are_refused_too()
    {
        var key = Key("f3");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null, epoch: 3), CancellationToken.None);
        var t = DateTimeOffset.UtcNow;

        await Assert.ThrowsAsync<StaleEpochException>(
            () => Store.ClearStateAsync(new StateClear(key, etag, PartitionOf(key), 2), CancellationToken.None));
        await Store.AppendJournalAsync(Append("call/5", 1, Entry("a", t)) with { Partition = 9, Epoch = 7 }, CancellationToken.None);
        var error = await Assert.ThrowsAsync<StaleEpochException>(
            () => Store.AppendJournalAsync(Append("call/5", 2, Entry("b", t)) with { Partition = 9, Epoch = 6 }, CancellationToken.None));

        Assert.Contains("call/5", error.Message);
        Assert.NotNull(await Store.ReadStateAsync(key, CancellationToken.None));
        Assert.Single(await ReadAsync(new JournalQuery { Stream = "call/5" }));
    }

    [Fact]
    public async Task Null_or_empty_names_and_empty_appends_are_rejected_with_ArgumentException()
    {
        var t = DateTimeOffset.UtcNow;
        var empty = new StateKey("", new GrainId("agent", "1"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadStateAsync(empty, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadStateAsync(new StateKey(null!, new GrainId("agent", "1")), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadStateAsync(new StateKey("profile", default), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteStateAsync(new StateWrite(empty, Json("{}"), null, 0, 1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteStateAsync(null!, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ClearStateAsync(new StateClear(empty, null, 0, 1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendJournalAsync(Append("", 1, Entry("a", t)), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendJournalAsync(new JournalAppend(null!, 1, [Entry("a", t)], 0, 1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendJournalAsync(Append("call/6", 1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendJournalAsync(Append("call/6", 1, Entry("", t)), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendJournalAsync(Append("call/6", 0, Entry("a", t)), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ReadAsync(new JournalQuery { StreamPrefix = "" }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ReadAsync(new JournalQuery { Types = [] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ReadAsync(new JournalQuery { Types = ["a", ""] }));
        Assert.Empty(await ReadAsync(new JournalQuery { Stream = "call/6" }));
    }
}
