using System.Collections.Immutable;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Queues;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Queues;

/// <summary>
/// The queue's journal looks only at the calls touched since its last record: whatever the line went through, the
/// records replayed over an empty checkpoint give back exactly the line (waiting, offered and extras).
/// </summary>
public sealed class QueueLineLogTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Records_of_the_touched_calls_alone_replay_to_the_whole_line_whatever_happened_to_it(int seed)
    {
        var queue = new QueueState(new QueueDefinition("billing") with { MaxWait = TimeSpan.FromSeconds(300), MaxWaitAction = MaxWaitAction.Callback });
        var log = new QueueLineLog();
        log.Reset([], [], new Dictionary<string, QueueCallExtras>());
        queue.Touched = log.Touched;
        var offered = new Dictionary<string, WaitingCall>(StringComparer.Ordinal);
        var extras = new Dictionary<string, QueueCallExtras>(StringComparer.Ordinal);
        var records = new List<QueueLineChange>();
        var random = new Random(seed);
        var next = 0;
        var changedCalls = 0;

        for (var step = 0; step < 3_000; step++)
        {
            var now = At(step);
            var waiting = queue.Waiting;
            switch (random.Next(6))
            {
                case 0 or 1: // a call arrives (the grain keeps its extras beside it)
                    var call = Call($"c{next++}", step, priority: random.Next(3));
                    queue.Enqueue(call);
                    extras[call.CallId] = new QueueCallExtras(random.Next(2) == 0, ImmutableDictionary<string, string>.Empty);
                    log.Touched.Add(call.CallId);
                    break;
                case 2 when waiting.Count > 0: // offered to an agent: out of line, into the offers
                    var taken = waiting[random.Next(waiting.Count)];
                    queue.Remove(taken.CallId, out _);
                    offered[taken.CallId] = taken;
                    log.Touched.Add(taken.CallId);
                    break;
                case 3 when offered.Count > 0: // the offer failed: back at its place, declined by that agent
                    var back = offered.Values.ElementAt(random.Next(offered.Count));
                    offered.Remove(back.CallId);
                    log.Touched.Add(back.CallId);
                    queue.Return(back, declinedBy: $"a{random.Next(5)}");
                    break;
                case 4 when waiting.Count > 0: // the caller hangs up, or becomes a callback
                    var gone = waiting[random.Next(waiting.Count)];
                    if (random.Next(2) == 0)
                    {
                        queue.Remove(gone.CallId, out _);
                        extras.Remove(gone.CallId);
                        log.Touched.Add(gone.CallId);
                    }
                    else
                    {
                        queue.ScheduleCallback(gone.CallId);
                    }
                    break;
                case 5: // the watchdog: calls past their max wait keep their place as callbacks
                    queue.ExpireWaits(now, []);
                    break;
            }

            if (random.Next(4) == 0 || step == 2_999)
            {
                if (log.Changes(queue, offered, extras) is { } change)
                {
                    records.Add(change);
                    changedCalls += change.Set.Count + change.Removed.Count;
                }
            }
        }

        var line = QueueLineLog.Replay(new QueueGrainState(), records);
        Assert.Equal(queue.Count + offered.Count, line.Count);
        foreach (var entry in queue.Waiting)
        {
            Assert.Same(entry, line[entry.CallId].Entry);
            Assert.False(line[entry.CallId].Offered);
            Assert.Same(extras.GetValueOrDefault(entry.CallId), line[entry.CallId].Extras);
        }
        foreach (var (callId, entry) in offered)
        {
            Assert.Same(entry, line[callId].Entry);
            Assert.True(line[callId].Offered);
        }
        Assert.True(queue.Waiting.Any(w => w.IsCallback) && queue.Waiting.Any(w => w.DeclinedBy.Length > 0), "the run made callbacks and declines");
        Assert.True(changedCalls < 3_000 * 2, $"{changedCalls} calls recorded: only touched calls are");
        Assert.Equal(log.Count, line.Count);
        Assert.Null(log.Changes(queue, offered, extras)); // nothing touched since
    }
}
