using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage;
using Switchboard.Silo.Tests.Infrastructure;
using static Switchboard.Silo.Tests.Infrastructure.JournalSamples;

namespace Switchboard.Silo.Tests.Sqlite;

public sealed class SqliteEventJournalTests : EventJournalContract, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override async Task<(IEventJournal Journal, IAsyncDisposable Owner)> OpenAsync()
    {
        var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        return (store.Journal, store);
    }

    [Fact]
    public async Task Records_appended_before_the_store_closed_are_there_after_it_opens_again_and_the_stream_goes_on()
    {
        await using (var store = await SqliteStoreHarness.OpenAsync(_folder.Path))
        {
            await store.Journal.AppendAsync(Append("call/c1", 1, Entry("call.offered"), Entry("call.queued")));
        }
        await using var reopened = await SqliteStoreHarness.OpenAsync(_folder.Path);
        Assert.Equal(2, await reopened.Journal.GetLastSequenceAsync("call/c1"));
        await Assert.ThrowsAsync<JournalConflictException>(() => reopened.Journal.AppendAsync(Append("call/c1", 1, Entry("call.offered"))));
        await reopened.Journal.AppendAsync(Append("call/c1", 3, Entry("call.answered")));
        Assert.Equal(["call.offered", "call.queued", "call.answered"], (await reopened.Journal.ReadAllAsync(new JournalQuery())).Select(r => r.Type));
    }

    [Fact]
    public async Task The_feed_hands_followers_each_committed_record_in_position_order_with_the_appended_object()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var feed = Assert.IsType<JournalFeed>(store.Journal.Feed);
        using var follower = feed.Follow(["call.offered"]);
        var offered = new { Queue = "billing" };
        await store.Journal.AppendAsync(Append("call/c1", 1, Entry("call.offered") with { Value = offered }, Entry("call.queued")));
        await store.Journal.AppendAsync(Append("call/c2", 1, Entry("call.offered")));

        Assert.True(follower.TryTake(out var first));
        Assert.True(follower.TryTake(out var second));
        Assert.False(follower.TryTake(out _));
        Assert.Same(offered, first.Value);
        Assert.Equal(("call/c1", "call/c2"), (first.Stream, second.Stream));
        Assert.True(first.Position < second.Position);
        var stored = await store.Journal.ReadAllAsync(new JournalQuery { Types = ["call.offered"] });
        Assert.Equal(stored.Select(r => r.Position), new[] { first.Position, second.Position });
    }

    [Fact]
    public async Task A_state_write_queued_before_an_append_is_durable_by_the_time_the_append_is()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        using var follower = store.Journal.Feed!.Follow(["queue.line"]);
        var violations = 0;
        var checkedRecords = 0;
        // Runs on the commit thread right after each commit that carried a line record: whatever the committer took in
        // that batch or before must be readable now, so the state write queued just before record i has version i.
        follower.SignalWhenWaiting(1, () =>
        {
            while (follower.TryTake(out var record))
            {
                checkedRecords++;
                var state = store.Store.ReadState("line", GrainId.Create("queue", "billing"));
                if (state is not { } row || row.Version < record.Sequence)
                {
                    violations++;
                }
            }
        });
        var writes = new List<Task>();
        var etag = (string?)null;
        for (var i = 1; i <= 300; i++)
        {
            var state = new GrainState<CounterState>(new CounterState { Count = i }, etag);
            var write = store.Storage.WriteStateAsync("line", GrainId.Create("queue", "billing"), state);
            writes.Add(write);
            // Queued right after the write, without waiting for it: it must never be durable without it.
            writes.Add(store.Journal.AppendAsync(Append("queue/billing", i, Entry("queue.line"))));
            etag = (i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await Task.WhenAll(writes);
        Assert.Equal(300, checkedRecords);
        Assert.Equal(0, violations);
    }

    [Fact]
    public async Task Writes_the_disk_refuses_leave_nothing_half_written_and_the_store_goes_on_afterwards()
    {
        var outcomes = new List<(string Stream, Task Write)>();
        Task state;
        await using (var store = await SqliteStoreHarness.OpenAsync(_folder.Path))
        {
            await store.Journal.AppendAsync(Append("call/before", 1, Entry("call.offered")));
            await store.Store.LimitDatabaseGrowthForTestsAsync(extraPages: 8);
            var payload = new string('x', 1500);
            // Three records each, queued together: the file fills up part-way, inside some batch (SQLITE_FULL).
            for (var i = 0; i < 60; i++)
            {
                var stream = $"call/full{i}";
                outcomes.Add((stream, store.Journal.AppendAsync(Append(stream, 1, Entry("call.offered", payload: payload),
                    Entry("call.queued", payload: payload), Entry("call.answered", payload: payload)))));
            }
            state = store.Storage.WriteStateAsync("counter", GrainId.Create("agent", "full"),
                new GrainState<CounterState>(new CounterState { Note = new string('y', 64 * 1024) }, null));
            await Task.WhenAll(outcomes.Select(o => o.Write).Append(state).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        var refused = outcomes.Where(o => o.Write.IsFaulted).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, o => Assert.IsType<JournalUnavailableException>(o.Write.Exception!.InnerException));
        Assert.Contains("full", refused[0].Write.Exception!.InnerException!.Message, StringComparison.OrdinalIgnoreCase);
        var stateError = Assert.IsType<StoreUnavailableException>(state.Exception!.InnerException);
        Assert.Contains("'counter' state of grain agent/full", stateError.Message);

        await using var reopened = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var records = (await reopened.Journal.ReadAllAsync(new JournalQuery())).GroupBy(r => r.Stream).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (stream, write) in outcomes)
        {
            // All three records of an acknowledged append, none of a refused one.
            Assert.Equal(write.IsCompletedSuccessfully ? 3 : 0, records.GetValueOrDefault(stream));
        }
        Assert.Equal(1, records["call/before"]);
        Assert.Null(reopened.Store.ReadState("counter", GrainId.Create("agent", "full")));
        await reopened.Journal.AppendAsync(Append("call/after", 1, Entry("call.offered")));
    }
}
