using Switchboard.Routing.Journal;

namespace Switchboard.Routing.Tests.Journal;

public sealed class JournalChainTests
{
    private static readonly JournalEntry[] One = [new JournalEntry("e", DateTimeOffset.UnixEpoch, "{}"u8.ToArray())];

    [Fact]
    public async Task Appends_reach_the_journal_one_at_a_time_in_the_order_asked()
    {
        var journal = new GatedJournal();
        var chain = new JournalChain(journal);

        var first = chain.AppendAsync(One);
        var second = chain.AppendAsync(One);
        var third = chain.AppendAsync(One);

        Assert.Equal(1, journal.Started);
        journal.Release();
        await first;
        Assert.Equal(2, journal.Started);
        journal.Release();
        await second;
        Assert.False(third.IsCompleted);
        journal.Release();
        await third;
        Assert.Equal(3, journal.Started);
    }

    [Fact]
    public async Task A_failed_append_fails_its_caller_and_the_next_one_still_goes_ahead()
    {
        var journal = new GatedJournal();
        var chain = new JournalChain(journal);

        var failing = chain.AppendAsync(One);
        var next = chain.AppendAsync(One);
        journal.Fail(new InvalidOperationException("disk full"));
        journal.Release();

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(2, journal.Started);
        journal.Release();
        await next;
        Assert.Equal(2, journal.Started);
    }

    [Fact]
    public async Task Once_every_append_has_finished_the_chain_holds_no_finished_task()
    {
        // A grain's chain lives as long as the grain: a finished task kept there would be an old object pointing at
        // a young one, which every garbage collection until the next gen1 scans again.
        var journal = new GatedJournal();
        var chain = new JournalChain(journal);

        var first = chain.AppendAsync(One);
        var second = chain.AppendAsync(One);
        Assert.Same(second, chain.AppendAsync([]));
        journal.Release();
        journal.Release();
        await Task.WhenAll(first, second);

        Assert.Same(Task.CompletedTask, chain.AppendAsync([]));
    }

    /// <summary>A journal whose appends finish one by one when the test says so.</summary>
    private sealed class GatedJournal : IGrainJournal
    {
        private readonly Queue<TaskCompletionSource> _waiting = new();
        private readonly Queue<TaskCompletionSource> _released = new();
        private Exception? _failNext;

        public int Started { get; private set; }

        public string Stream => "test/gated";

        public long LastSequence => Started;

        public long ReservedSequence => Started;

        public void Release()
        {
            lock (_waiting)
            {
                if (_waiting.TryDequeue(out var append))
                {
                    Complete(append);
                }
                else
                {
                    _released.Enqueue(new TaskCompletionSource());
                }
            }
        }

        public void Fail(Exception error) => _failNext = error;

        private void Complete(TaskCompletionSource append)
        {
            if (_failNext is { } error)
            {
                _failNext = null;
                append.SetException(error);
            }
            else
            {
                append.SetResult();
            }
        }

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
        {
            lock (_waiting)
            {
                Started++;
                var append = new TaskCompletionSource();
                if (_released.TryDequeue(out _))
                {
                    Complete(append);
                }
                else
                {
                    _waiting.Enqueue(append);
                }

                return append.Task;
            }
        }

        public IAsyncEnumerable<JournalRecord> ReadAsync(long fromSequence = 1, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
