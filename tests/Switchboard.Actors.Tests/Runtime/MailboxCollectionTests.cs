using Switchboard.Actors.Activation;

namespace Switchboard.Actors.Tests.Runtime;

public sealed class MailboxCollectionTests
{
    [Fact]
    public void The_inline_queue_stays_first_in_first_out_when_it_spills_past_its_field()
    {
        var queue = new InlineQueue<int>();
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Enqueue(3);
        Assert.Equal(1, queue.Dequeue());
        queue.Enqueue(4);
        Assert.Equal([2, 3, 4], All(queue));
        List<int>? even = null;
        queue.Collect(static (n, divisor) => n % divisor == 0, 2, ref even);
        Assert.Equal([2, 4], even);
        Assert.Equal(2, queue.Dequeue());
        Assert.Equal(3, queue.Dequeue());
        Assert.Equal(4, queue.Peek());
        Assert.Equal(1, queue.Count);
        Assert.Equal(4, queue.Dequeue());
        Assert.Equal(0, queue.Count);
        Assert.Throws<InvalidOperationException>(() => queue.Dequeue());
    }

    [Fact]
    public void Draining_the_inline_queue_returns_everything_oldest_first_and_leaves_it_empty()
    {
        var queue = new InlineQueue<string>();
        foreach (var item in new[] { "a", "b", "c" })
        {
            queue.Enqueue(item);
        }

        Assert.Equal(["a", "b", "c"], queue.Drain());
        Assert.Equal(0, queue.Count);
        Assert.Empty(All(queue));
    }

    [Fact]
    public void Running_turns_remove_any_turn_and_keep_the_others()
    {
        var turns = new RunningTurns();
        var a = new Turn();
        var b = new Turn();
        var c = new Turn();
        turns.Add(a);
        turns.Add(b);
        turns.Add(c);
        turns.Remove(a);
        Assert.Equal(2, turns.Count);
        List<ActivationWorkItem>? running = null;
        turns.Collect(static (_, _) => true, 0, ref running);
        Assert.Equal(new HashSet<ActivationWorkItem> { b, c }, running!.ToHashSet());
        turns.Remove(b);
        turns.Remove(c);
        Assert.Equal(0, turns.Count);
        List<ActivationWorkItem>? none = null;
        turns.Collect(static (_, _) => true, 0, ref none);
        Assert.Null(none);
    }

    private static List<T> All<T>(InlineQueue<T> queue)
    {
        List<T>? items = null;
        queue.Collect(static (_, _) => true, 0, ref items);
        return items ?? [];
    }

    private sealed class Turn : ActivationWorkItem
    {
        internal override void Start(ActivationData activation)
        {
        }
    }
}
