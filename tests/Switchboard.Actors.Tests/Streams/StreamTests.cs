using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Streams;

namespace Switchboard.Actors.Tests.Streams;

public sealed class StreamTests
{
    private static async Task<(TestSilo Silo, IStreamProvider Streams)> StartAsync()
    {
        var silo = await TestSilo.StartAsync();
        return (silo, silo.Services.GetRequiredService<IStreamProvider>());
    }

    [Fact]
    public async Task A_new_subscriber_gets_the_current_snapshot_first_then_the_changes()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("queue/billing");
        topic.Publish("waiting", 3);
        topic.Publish("agents", 7);
        topic.Publish("waiting", 4);

        using var subscription = topic.Subscribe();
        topic.Publish("agents", 8);
        topic.Remove("waiting");

        Assert.Equal(
            new[] { new StreamItem<int>("waiting", 4, false), new StreamItem<int>("agents", 7, false) }.OrderBy(i => i.Key),
            subscription.Snapshot.OrderBy(i => i.Key));
        Assert.Equal(new StreamItem<int>("agents", 8, false), await subscription.ReadAsync());
        Assert.Equal(new StreamItem<int>("waiting", 0, true), await subscription.ReadAsync());
    }

    [Fact]
    public async Task A_slow_subscriber_gets_the_latest_value_of_each_key_never_a_backlog()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("center");
        using var slow = topic.Subscribe();

        for (var i = 1; i <= 100_000; i++)
        {
            topic.Publish($"figure-{i % 3}", i);
        }

        Assert.Equal(3, slow.PendingCount);
        Assert.Equal(100_000 - 3, slow.CoalescedCount);
        var latest = new[] { await slow.ReadAsync(), await slow.ReadAsync(), await slow.ReadAsync() };
        Assert.Equal(new[] { 99_998, 99_999, 100_000 }, latest.Select(i => i.Value).OrderBy(v => v));
    }

    [Fact]
    public async Task Every_subscriber_sees_every_key_change_published_after_it_subscribed()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<string>("team/t7");
        var subscriptions = Enumerable.Range(0, 50).Select(_ => topic.Subscribe()).ToArray();

        var publishers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                topic.Publish($"agent-{p}-{i}", "Available");
            }
        }));
        await Task.WhenAll(publishers);

        foreach (var subscription in subscriptions)
        {
            var seen = new HashSet<string>();
            while (seen.Count < 400)
            {
                seen.Add((await subscription.ReadAsync()).Key);
            }
            Assert.Equal(0, subscription.PendingCount);
            subscription.Dispose();
        }
        Assert.Equal(0, topic.SubscriberCount);
    }

    [Fact]
    public async Task A_reader_waiting_for_changes_wakes_when_one_is_published()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a1");
        using var subscription = topic.Subscribe();

        var read = subscription.ReadAsync().AsTask();
        Assert.False(read.IsCompleted);
        topic.Publish("state", 2);

        Assert.Equal(2, (await read.WaitAsync(TimeSpan.FromSeconds(10))).Value);
    }

    [Fact]
    public async Task A_cancelled_read_ends_with_its_token_and_the_next_read_still_gets_the_next_change()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a2");
        using var subscription = topic.Subscribe();

        using var cancel = new CancellationTokenSource();
        var read = subscription.ReadAsync(cancel.Token).AsTask();
        cancel.Cancel();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(cancel.Token, cancelled.CancellationToken);

        topic.Publish("state", 3);
        Assert.Equal(3, (await subscription.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Value);
        Assert.Equal(0, subscription.PendingCount);
    }

    [Fact]
    public async Task A_read_with_a_token_already_cancelled_takes_a_pending_change_and_otherwise_ends_at_once()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a3");
        using var subscription = topic.Subscribe();
        topic.Publish("state", 1);

        Assert.Equal(1, (await subscription.ReadAsync(new CancellationToken(canceled: true))).Value);
        var nothing = subscription.ReadAsync(new CancellationToken(canceled: true));
        Assert.True(nothing.IsCanceled);
        topic.Publish("state", 2);
        Assert.Equal(2, (await subscription.ReadAsync()).Value);
    }

    [Fact]
    public async Task Unsubscribing_ends_a_waiting_read_and_refuses_the_next()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a4");
        var subscription = topic.Subscribe();

        var waiting = subscription.ReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        subscription.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => subscription.ReadAsync().AsTask());
        Assert.Equal(0, topic.SubscriberCount);
    }

    [Fact]
    public async Task Reads_cancelled_while_changes_race_in_never_lose_a_change_nor_go_back_to_an_older_one()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("queue/race");
        using var subscription = topic.Subscribe();
        const int Keys = 4, PerKey = 5_000;

        // Two publishers, each owning two keys and publishing rising values with pauses (so that reads wait),
        // while a third thread cancels whatever read is waiting at random moments: a change that arrives as its read
        // is cancelled must stay for the next read, or the reader never sees its key's last value.
        CancellationTokenSource? current = null;
        var done = false;
        var canceller = Task.Factory.StartNew(() =>
        {
            var random = new Random(7);
            while (!Volatile.Read(ref done))
            {
                if (random.Next(3) == 0)
                {
                    Volatile.Read(ref current)?.Cancel();
                }
                Thread.SpinWait(random.Next(20, 400));
            }
        }, TaskCreationOptions.LongRunning);
        var publishers = Enumerable.Range(0, 2).Select(p => Task.Factory.StartNew(() =>
        {
            var random = new Random(p);
            for (var i = 1; i <= PerKey; i++)
            {
                topic.Publish($"k{2 * p}", i);
                topic.Publish($"k{2 * p + 1}", i);
                Thread.SpinWait(random.Next(0, 2_000));
                if (i % 100 == 0)
                {
                    // A real pause now and then, whatever the machine's speed or load: the reader drains what is
                    // there and waits, and the canceller (which has a core while both publishers sleep) ends waits.
                    Thread.Sleep(2);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var latest = new int[Keys];
        var cancelledReads = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (latest.Any(v => v < PerKey))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader stopped at {string.Join(", ", latest)}");
            var source = new CancellationTokenSource(); // not disposed: the canceller may still hold it
            Volatile.Write(ref current, source);
            try
            {
                var item = await subscription.ReadAsync(source.Token);
                var key = item.Key[1] - '0';
                Assert.True(item.Value > latest[key], $"{item.Key} went from {latest[key]} back to {item.Value}");
                latest[key] = item.Value;
            }
            catch (OperationCanceledException cancelled)
            {
                // Only by its own token: an earlier read's token, cancelled late, must not end this one.
                Assert.Equal(source.Token, cancelled.CancellationToken);
                cancelledReads++;
            }
            Volatile.Write(ref current, null);
        }
        Volatile.Write(ref done, true);
        await Task.WhenAll(publishers);
        await canceller;

        Assert.Equal(Enumerable.Repeat(PerKey, Keys), latest);
        Assert.True(cancelledReads > 0, "no read was cancelled: the race was not exercised");
    }

    [Fact]
    public async Task A_subscriber_to_one_key_gets_its_value_and_changes_and_is_never_woken_by_other_keys()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a5");
        topic.Publish("status", 1);
        topic.Publish("figures", 10);
        using var status = topic.Subscribe("status");
        using var nothingYet = topic.Subscribe("offer");

        Assert.Equal([new StreamItem<int>("status", 1, false)], status.Snapshot);
        Assert.Empty(nothingYet.Snapshot);
        var read = status.ReadAsync().AsTask();
        for (var i = 11; i < 20; i++)
        {
            topic.Publish("figures", i);
        }
        Assert.False(read.IsCompleted);
        Assert.Equal(0, nothingYet.PendingCount);

        topic.Publish("status", 2);
        Assert.Equal(new StreamItem<int>("status", 2, false), await read.WaitAsync(TimeSpan.FromSeconds(10)));
        topic.Remove("figures");
        topic.Remove("status");
        Assert.Equal(new StreamItem<int>("status", 0, true), await status.ReadAsync());
        Assert.Equal(0, status.PendingCount);
    }

    [Fact]
    public async Task A_second_read_while_one_waits_is_refused_and_the_waiting_one_still_gets_the_change()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a6");
        using var subscription = topic.Subscribe();

        var waiting = subscription.ReadAsync().AsTask();
        var error = Assert.Throws<InvalidOperationException>(() => subscription.ReadAsync());
        Assert.Contains("already waiting", error.Message);

        topic.Publish("state", 4);
        Assert.Equal(4, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Value);
    }

    [Fact]
    public async Task A_read_is_never_cancelled_by_the_token_of_the_read_before_it()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a8");
        using var subscription = topic.Subscribe();
        // The subscription's own lock, held here to stop the first token's callback on its way in: the interleaving
        // otherwise lasts a few instructions (that read ended by a change while its token's callback was starting).
        var gate = typeof(StreamSubscription<int>).GetField("_lock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(subscription)!;
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var read1 = subscription.ReadAsync(first.Token);

        Task cancelling;
        ValueTask<StreamItem<int>> read2;
        lock (gate)
        {
            cancelling = Task.Factory.StartNew(first.Cancel, TaskCreationOptions.LongRunning);
            var waitedFor = SpinWait.SpinUntil(() => first.IsCancellationRequested, TimeSpan.FromSeconds(10));
            Assert.True(waitedFor, "the first token was not cancelled");
            Thread.Sleep(100); // its callback is now waiting for the lock
            topic.Publish("state", 1);
            Assert.Equal(1, read1.Result.Value); // the change came first: the first read ends with it
            read2 = subscription.ReadAsync(second.Token);
        }
        await cancelling.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(read2.IsCompleted, "the second read was ended by the first read's token");
        topic.Publish("state", 2);
        Assert.Equal(2, (await read2.AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Value);
    }

    [Fact]
    public async Task A_reader_that_waits_for_each_change_allocates_nothing_per_change()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        var topic = streams.GetTopic<int>("agent/a7");
        using var subscription = topic.Subscribe();
        using var stop = new CancellationTokenSource();

        // The reader waits before each change is published (a desk between two status changes): the wait reuses
        // the subscription and the token's registration node instead of a task, a promise and a box per change.
        // Published on this thread, so the change completes the read here and the bytes are this thread's.
        var (waited, got) = (0, 0);
        long Rounds(int rounds)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < rounds; i++)
            {
                var read = subscription.ReadAsync(stop.Token);
                waited += read.IsCompleted ? 0 : 1;
                topic.Publish("state", i);
                got += read.IsCompletedSuccessfully && read.Result.Value == i ? 1 : 0;
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Rounds(100);
        const int Count = 1_000;
        var allocated = Rounds(Count);
        Assert.Equal((Count + 100, Count + 100), (waited, got)); // asserted outside the loop: xunit's Assert allocates
        Assert.True(allocated < Count * 16, $"{allocated} bytes for {Count} waits and changes ({allocated / Count} per change)");
    }

    [Fact]
    public async Task A_topic_keeps_its_value_type_and_says_so_when_asked_for_another()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        streams.GetTopic<int>("vendor/acme");

        var error = Assert.Throws<InvalidOperationException>(() => streams.GetTopic<string>("vendor/acme"));
        Assert.Contains("vendor/acme", error.Message);
        Assert.Contains("Int32", error.Message);
    }

    [Fact]
    public async Task Thousands_of_topics_keep_their_own_latest_values_while_keys_come_and_go()
    {
        var (silo, streams) = await StartAsync();
        await using var _ = silo;
        const int Topics = 3000;
        for (var i = 0; i < Topics; i++)
        {
            var topic = streams.GetTopic<string>($"agent/a{i}");
            topic.Publish("status", $"status of a{i}");
            topic.Publish("figures", $"figures of a{i}");
        }

        // Removed keys give their places back; other topics' new keys take them, and nothing is mixed up.
        for (var i = 0; i < Topics; i += 2)
        {
            streams.GetTopic<string>($"agent/a{i}").Remove("figures");
        }

        for (var i = 0; i < Topics; i++)
        {
            streams.GetTopic<string>($"team/t{i}").Publish("status", $"team t{i}");
        }

        for (var i = 0; i < Topics; i++)
        {
            using var agent = streams.GetTopic<string>($"agent/a{i}").Subscribe();
            var expected = i % 2 == 0
                ? new[] { $"status of a{i}" }
                : new[] { $"status of a{i}", $"figures of a{i}" };
            Assert.Equal(expected, agent.Snapshot.Select(item => item.Value));
            using var team = streams.GetTopic<string>($"team/t{i}").Subscribe();
            Assert.Equal([new StreamItem<string>("status", $"team t{i}", false)], team.Snapshot);
        }
    }
}
