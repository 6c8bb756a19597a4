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
