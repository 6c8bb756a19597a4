using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Routing.Journal;

namespace Switchboard.Silo.Storage.GroupCommit;

/// <summary>
/// Group commit: writers queue their operations; one thread of the committer's own takes everything queued (up to the
/// maximum batch size) and commits it in one transaction, then completes each writer's task. There is no artificial
/// delay: while one batch commits (an fsync), the next one gathers, so batches grow with load and a lone write is
/// flushed at once. The thread is not a pool thread, so a busy pool never delays a commit, and a writer blocked on I/O
/// never holds a pool thread. Writers' continuations are not run here: a grain's await resumes on its activation.
/// Batches commit one after another, each item in the order it was queued, so a write is never durable without every
/// write queued before it, whatever grain, state or stream it is for.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<StoreOperation> _queue = new();
    private readonly string _storeName;
    private readonly string _connection;
    private readonly IBatchExecutor _executor;
    private readonly int _maxBatchSize;
    private readonly JournalStatistics _statistics;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _storeTag;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private bool _completed;
    private int _disposed;

    public GroupCommitter(string storeName, string connection, IBatchExecutor executor, int maxBatchSize, JournalStatistics statistics, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _storeName = storeName;
        _connection = connection;
        _executor = executor;
        _maxBatchSize = maxBatchSize;
        _statistics = statistics;
        _logger = logger;
        _storeTag = new(StoreTelemetry.StoreAttribute, storeName);
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_thread is not null)
            {
                return;
            }
            _thread = new Thread(Run) { IsBackground = true, Name = $"store {_storeName} commits" };
            _thread.Start();
        }
    }

    /// <summary>Queues an operation; the task completes once its batch is durable (or refused, or failed).</summary>
    public Task<string?> EnqueueAsync(StoreOperation operation)
    {
        operation.CancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_completed)
            {
                throw new ObjectDisposedException($"Store '{_storeName}'", $"Store '{_storeName}' has stopped; it accepts no more writes.");
            }
            if (_thread is null)
            {
                throw new InvalidOperationException($"Store '{_storeName}' is not open yet: it opens in the silo's store lifecycle stage, before grains activate.");
            }
            _queue.Enqueue(operation);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }
        return operation.Completion;
    }

    private void Run()
    {
        var batch = new List<StoreOperation>(_maxBatchSize);
        try
        {
            while (Take(batch))
            {
                Commit(batch);
                batch.Clear();
                _executor.AfterBatch();
            }
            _stopped.TrySetResult();
        }
        catch (Exception error)
        {
            _stopped.TrySetException(error);
        }
    }

    /// <summary>Waits for work and takes up to a batch of it; false once disposed and drained.</summary>
    private bool Take(List<StoreOperation> batch)
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_completed)
                {
                    return false;
                }
                Monitor.Wait(_gate);
            }
            while (batch.Count < _maxBatchSize && _queue.TryDequeue(out var operation))
            {
                // Cancellation is honoured only while an item waits: once in a batch it may commit.
                if (operation.CancellationToken.IsCancellationRequested)
                {
                    operation.Cancel();
                }
                else
                {
                    batch.Add(operation);
                }
            }
            return true;
        }
    }

    private void Commit(List<StoreOperation> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            // SQLite commits synchronously; PostgreSQL's I/O completes on the pool while this thread waits for it.
            _executor.CommitAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            StoreLog.BatchFailed(_logger, error, _storeName, batch.Count);
            foreach (var operation in batch)
            {
                operation.Fail(_storeName, _connection, batch.Count, error);
            }
            return;
        }
        StoreTelemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _storeTag);
        StoreTelemetry.BatchSize.Record(batch.Count, _storeTag);
        _statistics.RecordBatch(batch.Count);
        StoreLog.BatchCommitted(_logger, _storeName, batch.Count);
        foreach (var operation in batch)
        {
            if (operation.Refusal is not null)
            {
                StoreLog.Refused(_logger, _storeName, operation.Target, operation.Refusal.GetType().Name);
            }
            operation.Complete();
        }
    }

    /// <summary>Stops accepting writes, commits everything already queued, then stops the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        bool started;
        lock (_gate)
        {
            _completed = true;
            started = _thread is not null;
            Monitor.PulseAll(_gate);
        }
        if (started)
        {
            await _stopped.Task.ConfigureAwait(false);
        }
        await _executor.DisposeAsync().ConfigureAwait(false);
    }
}
