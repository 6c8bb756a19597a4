using Orleans.Storage;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.Sqlite;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private static readonly GrainId Agent = GrainId.Create("agent", "a7");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static GrainState<CounterState> State(int count, string? etag = null) => new(new CounterState { Count = count }, etag);

    [Fact]
    public async Task A_first_write_creates_the_row_and_a_read_gives_it_back_with_its_etag()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var written = State(3);
        await store.Storage.WriteStateAsync("counter", Agent, written);

        var read = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, read);
        Assert.Equal(3, read.State!.Count);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task A_grain_that_never_wrote_reads_a_fresh_state_without_an_etag()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var read = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, read);
        Assert.Equal(0, read.State!.Count);
        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task A_second_first_write_is_refused_as_a_duplicate_activation_and_changes_nothing()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        await store.Storage.WriteStateAsync("counter", Agent, State(1));

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync("counter", Agent, State(99)));
        Assert.Contains("'counter' state of grain agent/a7", error.Message);
        Assert.Equal("1", error.StoredEtag);

        var read = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, read);
        Assert.Equal(1, read.State!.Count);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_the_newer_state_stays()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var first = State(1);
        await store.Storage.WriteStateAsync("counter", Agent, first);
        var staleETag = first.ETag;
        var second = State(2, first.ETag);
        await store.Storage.WriteStateAsync("counter", Agent, second);

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync("counter", Agent, State(50, staleETag)));
        // ETags compare as text: "02" is not "2".
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync("counter", Agent, State(50, "0" + second.ETag)));

        var read = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, read);
        Assert.Equal(2, read.State!.Count);
        Assert.Equal(second.ETag, read.ETag);
    }

    [Fact]
    public async Task A_cleared_row_stays_a_tombstone_so_no_etag_ever_matches_again()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var state = State(1);
        await store.Storage.WriteStateAsync("counter", Agent, state);
        var beforeClear = state.ETag;
        await store.Storage.ClearStateAsync("counter", Agent, state);
        var afterClear = state.ETag;
        Assert.False(state.RecordExists);
        Assert.NotNull(afterClear);
        Assert.NotEqual(beforeClear, afterClear);

        // Neither the ETag from before the clear nor "no row" (a grain that read before the first write) matches now.
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync("counter", Agent, State(7, beforeClear)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.WriteStateAsync("counter", Agent, State(7)));

        var read = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Count);
        Assert.Equal(afterClear, read.ETag);

        var again = State(5, afterClear);
        await store.Storage.WriteStateAsync("counter", Agent, again);
        Assert.Equal(3, new[] { beforeClear, afterClear, again.ETag }.Distinct().Count());
    }

    [Fact]
    public async Task Clearing_a_state_never_written_is_a_no_op_but_a_clear_from_a_stale_read_is_refused()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var never = new GrainState<CounterState>();
        await store.Storage.ClearStateAsync("counter", Agent, never);
        Assert.Null(never.ETag);

        await store.Storage.WriteStateAsync("counter", Agent, State(1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Storage.ClearStateAsync("counter", Agent, new GrainState<CounterState>()));
    }

    [Fact]
    public async Task Grains_of_different_types_with_the_same_key_and_state_name_have_rows_of_their_own()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var queue = GrainId.Create("queue", "a7");
        await store.Storage.WriteStateAsync("counter", Agent, State(1));
        await store.Storage.WriteStateAsync("counter", queue, State(2));

        var agent = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", Agent, agent);
        var other = new GrainState<CounterState>();
        await store.Storage.ReadStateAsync("counter", queue, other);
        Assert.Equal((1, 2), (agent.State!.Count, other.State!.Count));
    }

    [Fact]
    public async Task State_written_before_the_store_closed_is_there_after_it_opens_again()
    {
        string? etag;
        await using (var store = await SqliteStoreHarness.OpenAsync(_folder.Path))
        {
            var state = new GrainState<CounterState>(new CounterState { Count = 41, Note = "before restart" }, null);
            await store.Storage.WriteStateAsync("counter", Agent, state);
            etag = state.ETag;
        }

        await using var reopened = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var read = new GrainState<CounterState>();
        await reopened.Storage.ReadStateAsync("counter", Agent, read);
        Assert.Equal((41, "before restart", etag), (read.State!.Count, read.State!.Note, read.ETag));
        var next = State(42, read.ETag);
        await reopened.Storage.WriteStateAsync("counter", Agent, next);
    }

    [Fact]
    public async Task Writes_queued_together_from_many_grains_share_transactions_and_all_commit()
    {
        await using var store = await SqliteStoreHarness.OpenAsync(_folder.Path);
        var before = store.Journal.Statistics.Transactions;
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => store.Storage.WriteStateAsync("counter", GrainId.Create("agent", $"a{i}"), State(i))));

        var transactions = store.Journal.Statistics.Transactions - before;
        Assert.InRange(transactions, 1, 499);
        for (var i = 0; i < 500; i += 97)
        {
            var read = new GrainState<CounterState>();
            await store.Storage.ReadStateAsync("counter", GrainId.Create("agent", $"a{i}"), read);
            Assert.Equal(i, read.State!.Count);
        }
    }
}
