using System.Text;
using Switchboard.Routing.Journal;
using static Switchboard.Silo.Tests.Infrastructure.JournalSamples;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>What every <see cref="IEventJournal"/> of ours does, run against SQLite and PostgreSQL.</summary>
public abstract class EventJournalContract
{
    /// <summary>A journal on fresh, empty storage; disposed by the caller.</summary>
    protected abstract Task<(IEventJournal Journal, IAsyncDisposable Owner)> OpenAsync();

    [Fact]
    public async Task Appends_are_numbered_from_one_and_an_append_that_does_not_follow_the_last_record_is_a_conflict()
    {
        var (journal, owner) = await OpenAsync();
        await using var _ = owner;
        Assert.Equal(0, await journal.GetLastSequenceAsync("call/c1"));
        await journal.AppendAsync(Append("call/c1", 1, Entry("call.offered"), Entry("call.queued")));
        Assert.Equal(2, await journal.GetLastSequenceAsync("call/c1"));

        var stale = await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync(Append("call/c1", 2, Entry("call.answered"), Entry("call.ended"))));
        Assert.Equal(2, stale.LastStoredSequence);
        Assert.IsAssignableFrom<Orleans.Storage.InconsistentStateException>(stale);
        await Assert.ThrowsAsync<JournalConflictException>(() => journal.AppendAsync(Append("call/c1", 4, Entry("call.answered"))));

        // Nothing of a refused append was written: the stream still ends at 2 and takes 3 next.
        Assert.Equal(2, (await journal.ReadAllAsync(new JournalQuery { Stream = "call/c1" })).Count);
        await journal.AppendAsync(Append("call/c1", 3, Entry("call.answered")));
        Assert.Equal(3, await journal.GetLastSequenceAsync("call/c1"));
    }

    [Fact]
    public async Task Reads_narrow_by_stream_prefix_type_time_window_and_position()
    {
        var (journal, owner) = await OpenAsync();
        await using var _ = owner;
        await journal.AppendAsync(Append("call/c1", 1, Entry("call.offered", 0), Entry("call.answered", 2)));
        await journal.AppendAsync(Append("agent/a1", 1, Entry("agent.reserved", 1), Entry("agent.talking", 3)));
        await journal.AppendAsync(Append("call/c2", 1, Entry("call.offered", 4, "{\"queue\":\"billing\"}")));
        await journal.AppendAsync(Append("callback/b1", 1, Entry("callback.requested", 5)));

        var all = await journal.ReadAllAsync(new JournalQuery());
        Assert.Equal(6, all.Count);
        Assert.Equal(all.Select(r => r.Position).Order(), all.Select(r => r.Position));
        Assert.Equal(["call/c1", "call/c1", "agent/a1", "agent/a1", "call/c2", "callback/b1"], all.Select(r => r.Stream));

        Assert.Equal([1L, 2L], (await journal.ReadAllAsync(new JournalQuery { Stream = "call/c1" })).Select(r => r.Sequence));
        Assert.Equal([2L], (await journal.ReadAllAsync(new JournalQuery { Stream = "call/c1", FromSequence = 2 })).Select(r => r.Sequence));
        Assert.Equal(["call/c1", "call/c1", "call/c2"], (await journal.ReadAllAsync(new JournalQuery { StreamPrefix = "call/" })).Select(r => r.Stream));
        Assert.Equal(["call.offered", "call.offered"], (await journal.ReadAllAsync(new JournalQuery { Types = ["call.offered"] })).Select(r => r.Type));
        var window = await journal.ReadAllAsync(new JournalQuery { From = Start.AddMinutes(1), To = Start.AddMinutes(4) });
        Assert.Equal(["call.answered", "agent.reserved", "agent.talking"], window.Select(r => r.Type));
        Assert.All(window, r => Assert.InRange(r.Timestamp, Start.AddMinutes(1), Start.AddMinutes(4).AddTicks(-1)));
        var after = await journal.ReadAllAsync(new JournalQuery { AfterPosition = all[3].Position, Limit = 1 });
        Assert.Equal(all[4].Position, Assert.Single(after).Position);

        var offered = (await journal.ReadAllAsync(new JournalQuery { Stream = "call/c2" }))[0];
        Assert.Equal("{\"queue\":\"billing\"}", Encoding.UTF8.GetString(offered.Payload.Span));
        // Times are kept to the microsecond.
        Assert.Equal(Start.AddMinutes(4), offered.Timestamp);
    }

    [Fact]
    public async Task Appends_queued_together_across_streams_take_positions_in_the_order_they_were_queued()
    {
        var (journal, owner) = await OpenAsync();
        await using var _ = owner;
        var appends = Enumerable.Range(0, 400).Select(i => journal.AppendAsync(Append($"call/c{i}", 1, Entry("call.offered")))).ToList();
        await Task.WhenAll(appends);
        var records = await journal.ReadAllAsync(new JournalQuery());
        Assert.Equal(Enumerable.Range(0, 400).Select(i => $"call/c{i}"), records.Select(r => r.Stream));
        Assert.True(journal.Statistics.Transactions < 400, $"{journal.Statistics.Transactions} transactions for 400 appends queued together");
    }

    [Fact]
    public async Task A_refused_append_fails_only_itself_and_the_rest_of_its_batch_commits()
    {
        var (journal, owner) = await OpenAsync();
        await using var _ = owner;
        await journal.AppendAsync(Append("agent/a1", 1, Entry("agent.available")));
        var good = journal.AppendAsync(Append("agent/a2", 1, Entry("agent.available")));
        var conflict = journal.AppendAsync(Append("agent/a1", 1, Entry("agent.available")));
        var alsoGood = journal.AppendAsync(Append("agent/a3", 1, Entry("agent.available")));
        await good;
        await alsoGood;
        await Assert.ThrowsAsync<JournalConflictException>(() => conflict);
        Assert.Equal(3, (await journal.ReadAllAsync(new JournalQuery { StreamPrefix = "agent/" })).Count);
    }
}
