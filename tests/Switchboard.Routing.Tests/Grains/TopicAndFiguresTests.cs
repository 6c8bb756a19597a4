using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Figures;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;
using Switchboard.Routing.Staffing;
using Switchboard.Routing.Telemetry;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>What wallboards, reports and SREs see: topics, figures from the journal, staffing, telemetry.</summary>
public sealed class TopicAndFiguresTests
{
    [Fact]
    public async Task Every_change_is_published_on_the_queue_team_vendor_agent_and_center_topics()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a3");
        await silo.Agent("a3").SetNotReadyAsync("break");
        await silo.OfferAsync("c1");
        await silo.OfferAsync("c2");

        using var queue = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Queue("billing")).Subscribe();
        using var team = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Team("t2")).Subscribe();
        using var vendor = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Vendor("acme")).Subscribe();
        using var agent = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Agent("a3")).Subscribe();
        using var center = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Center).Subscribe();

        var queueStatus = Latest<QueueStatus>(queue, RoutingTopics.QueueKey("billing"));
        Assert.Equal(2, queueStatus.CallsWaiting);
        Assert.Equal(TestCenter.Start, queueStatus.OldestWaitingSince);
        Assert.Equal(1, queueStatus.AgentsByState[AgentState.NotReady]);
        foreach (var topic in new[] { team, vendor, agent, center })
        {
            var status = Latest<AgentStatus>(topic, RoutingTopics.AgentKey("a3"));
            Assert.Equal((AgentState.NotReady, "break"), (status.State, status.ReasonCode));
        }

        Assert.Equal(2, Latest<QueueStatus>(center, RoutingTopics.QueueKey("billing")).CallsWaiting);
        await silo.Agent("a3").SetReadyAsync();
        await silo.SettleAsync();
        var change = Drain(queue).Last(i => i.Key == RoutingTopics.QueueKey("billing"));
        Assert.Equal(1, ((QueueStatus)change.Value!).CallsWaiting);
        Assert.True(change.Value!.Version > queueStatus.Version);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Live_figures_follow_the_journal_and_the_queue_topic_says_when_they_changed(string store)
    {
        // Both stores hand their commits to the figures grain through their journal feed.
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-figures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var cleanUp = new FolderCleanUp(folder);
        await using var silo = await RoutingSilo.StartAsync(sqlitePath: store == "sqlite" ? Path.Combine(folder, "figures.db") : null);
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(4));
        await silo.Call("c1").AnsweredAsync();
        await silo.OfferAsync("c2");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(30));
        await silo.Call("c2").CallerHungUpAsync();
        var hungUp = silo.Clock.GetUtcNow();
        using var queue = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Queue("billing")).Subscribe(RoutingTopics.FiguresKey);
        await silo.AdvanceAsync(TimeSpan.FromSeconds(2));

        // The queue's topic says its figures changed after the hang-up; the figures themselves come from the grain.
        var notices = Drain(queue).Select(i => Assert.IsType<FiguresUpdate>(i.Value)).ToList();
        Assert.Contains(notices, n => n.At >= hungUp);
        var live = await silo.Figures.GetLiveAsync(FigureScope.Queue("billing"), TimeSpan.FromMinutes(15));
        Assert.Equal((2, 1, 1), (live.Today.Offered, live.Today.Answered, live.Today.Abandoned));
        Assert.Equal(TimeSpan.FromSeconds(4), live.Today.AverageSpeedOfAnswer);
        Assert.Equal(0.5, live.Today.ServiceLevel);
    }

    [Fact]
    public async Task Figures_of_a_past_interval_are_recomputed_from_the_journal()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.AdvanceAsync(TimeSpan.FromMinutes(16));
        await silo.Call("c1").EndedAsync();
        await silo.OfferAsync("c2", queue: "support");

        var report = await silo.Figures.GetIntervalsAsync(FigureScope.Queue("billing"), TestCenter.Start, TestCenter.Start.AddMinutes(30));
        var team = await silo.Figures.GetIntervalsAsync(FigureScope.Team("t1"), TestCenter.Start, TestCenter.Start.AddMinutes(30));

        Assert.Equal(2, report.Intervals.Count);
        Assert.Equal((1, 1, 0), (report.Intervals[0].Figures.Offered, report.Intervals[0].Figures.Answered, report.Intervals[0].Figures.Handled));
        Assert.Equal((0, 1), (report.Intervals[1].Figures.Offered, report.Intervals[1].Figures.Handled));
        Assert.Equal((1, 1, 1), (report.Total.Offered, report.Total.Answered, report.Total.Handled));
        Assert.Equal(1, team.Total.Handled);
        Assert.Equal(TimeSpan.FromMinutes(16), report.Total.AverageHandleTime);
    }

    [Fact]
    public async Task Staffing_answers_the_classic_question_with_the_gap_against_agents_logged_in()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.ReadyAsync("a2");
        await silo.AdvanceAsync(TimeSpan.FromSeconds(2));

        var answer = await silo.Figures.GetStaffingAsync(new StaffingRequest(600, TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(240)));

        Assert.Equal(80, answer.OfferedLoad, 6);
        Assert.Equal(ErlangC.AgentsNeeded(80, TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(20), 0.8), answer.AgentsNeeded);
        Assert.True(answer.PredictedServiceLevel >= 0.8);
        Assert.Equal(2, answer.Gap.AgentsLoggedIn);
        Assert.Equal(answer.AgentsNeeded - 2, answer.Gap.Gap);
    }

    [Fact]
    public async Task The_hot_path_records_spans_latency_and_counters()
    {
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RoutingTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (spans) { spans.Add(a.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);
        var measured = new Dictionary<string, double>();
        using var meter = new MeterListener();
        meter.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RoutingTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meter.SetMeasurementEventCallback<double>((i, v, tags, _) => { lock (measured) { measured[i.Name] = measured.GetValueOrDefault(i.Name) + 1; } });
        meter.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (measured) { measured[i.Name] = measured.GetValueOrDefault(i.Name) + v; } });
        meter.Start();

        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.OfferAsync("c1");
        await silo.Call("c1").AnsweredAsync();
        await silo.OfferAsync("c2");
        await silo.Call("c2").CallerHungUpAsync();
        await silo.SettleAsync();

        lock (spans)
        {
            Assert.Contains("switchboard.call.offer", spans);
            Assert.Contains("switchboard.queue.enqueue", spans);
            Assert.Contains("switchboard.queue.match", spans);
            Assert.Contains("switchboard.agent.reserve", spans);
        }

        lock (measured)
        {
            Assert.True(measured.GetValueOrDefault("switchboard.routing.duration") >= 1);
            Assert.True(measured.GetValueOrDefault("switchboard.calls.offered") >= 2);
            Assert.True(measured.GetValueOrDefault("switchboard.calls.answered") >= 1);
            Assert.True(measured.GetValueOrDefault("switchboard.calls.abandoned") >= 1);
            Assert.True(measured.ContainsKey("switchboard.queue.depth"));
        }
    }

    [Fact]
    public async Task Every_scope_touched_in_a_second_is_told_its_figures_changed_even_when_there_are_hundreds()
    {
        // One refresh tells every touched scope: none may be left out.
        const int Agents = 250;
        var yaml = TestCenter.Yaml.Replace("agents:\n", "agents:\n" + string.Concat(Enumerable.Range(0, Agents).Select(i =>
            $"  - id: m{i}\n    team: t{1 + i % 2}\n    skills: {{ billing: 5 }}\n    queues: {{ billing: 1 }}\n")), StringComparison.Ordinal);
        var center = CenterConfigurationLoader.Parse(yaml, CenterConfigurationFormat.Yaml, "many-agents.yaml");
        await using var silo = await RoutingSilo.StartAsync(center);
        for (var i = 0; i < Agents; i++)
        {
            await silo.ReadyAsync($"m{i}");
        }

        await silo.AdvanceAsync(TimeSpan.FromSeconds(2));

        for (var i = 0; i < Agents; i++)
        {
            using var agent = silo.Streams.GetTopic<StatusUpdate>(RoutingTopics.Agent($"m{i}")).Subscribe();
            Latest<FiguresUpdate>(agent, RoutingTopics.FiguresKey);
            var figures = await silo.Figures.GetLiveAsync(FigureScope.Agent($"m{i}"), TimeSpan.FromMinutes(15));
            Assert.Equal(1, figures.AgentsByState[AgentState.Available]);
        }
    }

    private static T Latest<T>(TopicSubscription<StatusUpdate> subscription, string key)
        where T : StatusUpdate
    {
        var items = subscription.Snapshot.Concat(Drain(subscription)).Where(i => i.Key == key && !i.Removed).ToList();
        Assert.NotEmpty(items);
        return Assert.IsType<T>(items[^1].Value);
    }

    private static List<TopicItem<StatusUpdate>> Drain(TopicSubscription<StatusUpdate> subscription)
    {
        var items = new List<TopicItem<StatusUpdate>>();
        while (subscription.PendingCount > 0)
        {
            items.Add(subscription.ReadAsync().AsTask().GetAwaiter().GetResult());
        }

        return items;
    }

    private sealed class FolderCleanUp(string folder) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
