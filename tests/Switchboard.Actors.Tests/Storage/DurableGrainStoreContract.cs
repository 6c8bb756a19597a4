using Switchboard.Actors.Storage;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>What the durable stores (SQLite, PostgreSQL) add to the contract: data outlives the store, and writes are group-committed.</summary>
public abstract class DurableGrainStoreContract : GrainStoreContract
{
    [Fact]
    public async Task State_and_journal_survive_closing_and_reopening_the_store()
    {
        var key = Key("d1");
        var etag = await Store.WriteStateAsync(Write(key, """{"v":1}""", null, epoch: 4), CancellationToken.None);
        await Store.AppendJournalAsync(Append("call/7", 1, Entry("call.offered", DateTimeOffset.UtcNow)), CancellationToken.None);
        await Store.DisposeAsync();

        var reopened = await OpenStoreAsync();

        var stored = await reopened.ReadStateAsync(key, CancellationToken.None);
        Assert.Equal(("""{"v":1}""", etag), (Text(stored!.Data), stored.ETag));
        Assert.Equal(["call.offered"], (await ReadAsync(new JournalQuery { Stream = "call/7" }, reopened)).Select(r => r.Type));
        // The ETag and the fencing epoch carry over too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.WriteStateAsync(Write(key, "{}", null, epoch: 4), CancellationToken.None));
        await Assert.ThrowsAsync<StaleEpochException>(() => reopened.WriteStateAsync(Write(key, "{}", etag, epoch: 3), CancellationToken.None));
        await reopened.AppendJournalAsync(Append("call/7", 2, Entry("call.queued", DateTimeOffset.UtcNow)), CancellationToken.None);
    }

    [Fact]
    public async Task Five_hundred_concurrent_writers_share_few_transactions_and_each_reads_its_own_write_on_return()
    {
        const int writers = 500;
        var before = (Store.Statistics.Transactions, Store.Statistics.Writes);

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            var key = Key($"gc{i}");
            var etag = await Store.WriteStateAsync(Write(key, $$"""{"writer":{{i}}}""", null), CancellationToken.None);
            var stored = await Store.ReadStateAsync(key, CancellationToken.None);
            return stored is not null && stored.ETag == etag && Text(stored.Data) == $$"""{"writer":{{i}}}""";
        })));

        Assert.All(results, Assert.True);
        var transactions = Store.Statistics.Transactions - before.Transactions;
        var writes = Store.Statistics.Writes - before.Writes;
        Assert.Equal(writers, writes);
        Assert.True(transactions < writes / 5, $"{writes} writes took {transactions} transactions: they were not group-committed");
    }

    [Fact]
    public async Task Refused_writes_in_a_batch_fail_alone_while_the_rest_of_the_batch_commits()
    {
        var stale = Key("b-stale");
        var staleETag = await Store.WriteStateAsync(Write(stale, """{"v":1}""", null), CancellationToken.None);
        await Store.WriteStateAsync(Write(stale, """{"v":2}""", staleETag), CancellationToken.None);
        // A partition of its own, so the raised epoch fences nothing but this grain.
        var fenced = Key("b-fenced");
        const int fencedPartition = Partitions + 1;
        await Store.WriteStateAsync(new StateWrite(fenced, Json("""{"v":1}"""), null, fencedPartition, 9), CancellationToken.None);
        var t = DateTimeOffset.UtcNow;
        await Store.AppendJournalAsync(Append("call/8", 1, Entry("a", t)), CancellationToken.None);

        // Queued together, so they share batches: good writes around each kind of refusal.
        var good = Enumerable.Range(0, 200).Select(i => Store.WriteStateAsync(Write(Key($"b{i}"), $$"""{"i":{{i}}}""", null), CancellationToken.None)).ToList();
        var etagRefused = Store.WriteStateAsync(Write(stale, """{"v":3}""", staleETag), CancellationToken.None);
        var epochRefused = Store.WriteStateAsync(new StateWrite(fenced, Json("""{"v":2}"""), "1", fencedPartition, 8), CancellationToken.None);
        var sequenceRefused = Store.AppendJournalAsync(Append("call/8", 1, Entry("b", t)), CancellationToken.None);
        good.AddRange(Enumerable.Range(200, 200).Select(i => Store.WriteStateAsync(Write(Key($"b{i}"), $$"""{"i":{{i}}}""", null), CancellationToken.None)));

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<InconsistentStateException>(() => etagRefused);
        await Assert.ThrowsAsync<StaleEpochException>(() => epochRefused);
        await Assert.ThrowsAsync<JournalConflictException>(() => sequenceRefused);
        for (var i = 0; i < 400; i++)
        {
            Assert.Equal($$"""{"i":{{i}}}""", Text((await Store.ReadStateAsync(Key($"b{i}"), CancellationToken.None))!.Data));
        }
        Assert.Equal("""{"v":2}""", Text((await Store.ReadStateAsync(stale, CancellationToken.None))!.Data));
        Assert.Equal("""{"v":1}""", Text((await Store.ReadStateAsync(fenced, CancellationToken.None))!.Data));
        Assert.Equal(["a"], (await ReadAsync(new JournalQuery { Stream = "call/8" })).Select(r => r.Type));
    }

    [Fact]
    public async Task Disposing_the_store_commits_every_write_already_queued()
    {
        var writes = Enumerable.Range(0, 300)
            .Select(i => Store.WriteStateAsync(Write(Key($"q{i}"), $$"""{"i":{{i}}}""", null), CancellationToken.None))
            .ToList();

        await Store.DisposeAsync();

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.WriteStateAsync(Write(Key("late"), "{}", null), CancellationToken.None));
        var reopened = await OpenStoreAsync();
        for (var i = 0; i < 300; i++)
        {
            Assert.NotNull(await reopened.ReadStateAsync(Key($"q{i}"), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Two_stores_on_the_same_data_racing_for_one_etag_or_one_sequence_let_exactly_one_win()
    {
        // Two silos' stores over one database: every round both write a grain under the same ETag and
        // append to one stream at the same sequence. One wins each race, the other is refused, and
        // nothing else in either batch is lost.
        var other = await OpenStoreAsync();
        var key = Key("race");
        string? etag = null;
        var t = DateTimeOffset.UtcNow;
        for (var round = 1; round <= 25; round++)
        {
            var writes = new[] { Store, other }.Select(store => Capture(store.WriteStateAsync(Write(key, $$"""{"round":{{round}}}""", etag), CancellationToken.None))).ToArray();
            var appends = new[] { Store, other }.Select(store => Capture(store.AppendJournalAsync(Append("race", round, Entry($"r{round}", t)), CancellationToken.None))).ToArray();
            var written = await Task.WhenAll(writes);
            var appended = await Task.WhenAll(appends);

            Assert.Single(written, outcome => outcome.Error is null);
            Assert.Single(written, outcome => outcome.Error is InconsistentStateException);
            Assert.Single(appended, outcome => outcome.Error is null);
            Assert.Single(appended, outcome => outcome.Error is JournalConflictException);
            etag = written.Single(outcome => outcome.Error is null).Result;
        }
        Assert.Equal(etag, (await Store.ReadStateAsync(key, CancellationToken.None))!.ETag);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), (await ReadAsync(new JournalQuery { Stream = "race" })).Select(r => r.Sequence));
    }

    private static async Task<(string? Result, Exception? Error)> Capture(Task task)
    {
        try
        {
            await task;
            return (task is Task<string> write ? write.Result : null, null);
        }
        catch (Exception error)
        {
            return (null, error);
        }
    }
}
