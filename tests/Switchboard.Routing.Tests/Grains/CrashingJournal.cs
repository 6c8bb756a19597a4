
using Switchboard.Routing.Journal;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>What <see cref="CrashingJournal"/> does with one journal append.</summary>
internal enum WriteFate
{
    /// <summary>Written as usual.</summary>
    Pass,

    /// <summary>Held back: never written, and failed when the silo crashes (a write in flight when it died).</summary>
    Hold,

    /// <summary>Failed without being written, as a batch the disk refused: the task fails a moment after the write was queued.</summary>
    Fail,
}

/// <summary>
/// The silo's real store behind a switch that stands for the silo dying with writes in flight. Appends the test picks
/// are held back or failed; once <see cref="Crash"/> is called, held appends and every later write fail without
/// reaching the store; <see cref="Release"/> lets held appends through instead. What reached the store before the
/// crash is there for the next silo on the same file. A store commits writes in the order they were queued
/// (ADR 004), so holding one write while later ones commit stands for a write of another silo that died: the state a
/// crash of that silo leaves behind.
/// </summary>
internal sealed class CrashingJournal(IEventJournal inner, Func<JournalAppend, WriteFate> fate) : IEventJournal
{
    private readonly object _gate = new();
    private readonly List<(JournalAppend Append, TaskCompletionSource Write)> _held = [];
    private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _crashed;

    public JournalFeed? Feed => inner.Feed;

    public JournalStatistics Statistics => inner.Statistics;

    /// <summary>True once the silo crashed: the silo's state writes fail too (<see cref="CrashableGrainStorage"/>).</summary>
    public bool IsCrashed
    {
        get
        {
            lock (_gate)
            {
                return _crashed;
            }
        }
    }

    /// <summary>How many appends are held back now.</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Completes when the first append is held back.</summary>
    public Task Held => _firstHeld.Task;

    /// <summary>The silo dies: held appends fail unwritten, and so does every later write.</summary>
    public void Crash()
    {
        (JournalAppend Append, TaskCompletionSource Write)[] held;
        lock (_gate)
        {
            _crashed = true;
            held = [.. _held];
            _held.Clear();
        }


        foreach (var (_, write) in held)
        {
            write.TrySetException(Crashed());
        }
    }

    /// <summary>The disk catches up: held appends go to the store, after whatever was queued meanwhile.</summary>
    public void Release()
    {
        (JournalAppend Append, TaskCompletionSource Write)[] held;
        lock (_gate)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (append, write) in held)
        {
            _ = ForwardAsync(append, write);
        }
    }

    public Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_crashed)
            {
                return Task.FromException(Crashed());
            }

            switch (fate(append))
            {
                case WriteFate.Hold:
                    var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _held.Add((append, write));
                    _firstHeld.TrySetResult();
                    return write.Task;
                case WriteFate.Fail:
                    return FailAsync(append.Stream);
            }
        }

        return inner.AppendAsync(append, cancellationToken);
    }

    public Task<long> GetLastSequenceAsync(string stream, CancellationToken cancellationToken = default) => inner.GetLastSequenceAsync(stream, cancellationToken);

    public IAsyncEnumerable<JournalRecord> ReadAsync(JournalQuery query, CancellationToken cancellationToken = default) => inner.ReadAsync(query, cancellationToken);

    private async Task ForwardAsync(JournalAppend append, TaskCompletionSource write)
    {
        try
        {
            await inner.AppendAsync(append, CancellationToken.None).ConfigureAwait(false);
            write.TrySetResult();
        }
        catch (Exception error)
        {
            write.TrySetException(error);
        }
    }

    // As a real store's failed batch: the writer's task fails after the call that queued the write returned.
    private static async Task FailAsync(string stream)
    {
        await Task.Delay(1);
        throw new InvalidOperationException($"test store: the append to {stream} failed");
    }

    private static InvalidOperationException Crashed() => new("test store: the silo crashed before this write was durable");
}
