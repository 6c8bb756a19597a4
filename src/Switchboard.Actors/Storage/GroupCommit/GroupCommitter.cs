using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Switchboard.Actors.Storage.GroupCommit;

/// <summary>
/// Group commit, shared by the SQLite and PostgreSQL stores: writers queue their operations; a single
/// loop takes everything queued (up to the maximum batch size) and commits it in one transaction, then
/// completes each writer's task. There is no artificial delay: while one batch commits (an fsync), the
/// next one gathers, so batches grow with load and a lone write is flushed at once.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    private readonly Channel<StoreOperation> _queue = Channel.CreateUnbounded<StoreOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly string _storeName;
    private readonly IStoreBatchExecutor _executor;
    private readonly int _maxBatchSize;
    private readonly StoreStatistics _statistics;
    private readonly ILogger _logger;
    private Task? _loop;
    private int _disposed;

    public GroupCommitter(string storeName, IStoreBatchExecutor executor, int maxBatchSize, StoreStatistics statistics, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _storeName = storeName;
        _executor = executor;
        _maxBatchSize = maxBatchSize;
        _statistics = statistics;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Queues an operation; the task completes once its batch is durable (or refused, or failed).</summary>
    public Task<string?> EnqueueAsync(StoreOperation operation)
    {
        operation.CancellationToken.ThrowIfCancellationRequested();
        if (_loop is null)
        {
            throw new InvalidOperationException($"Store '{_storeName}' is not initialized: call InitializeAsync before writing.");
        }
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException($"Store '{_storeName}'", $"Store '{_storeName}' has been disposed; it accepts no more writes.");
        }
        return operation.Completion;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<StoreOperation>(_maxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
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
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await _executor.CommitAsync(batch, CancellationToken.None).ConfigureAwait(false);
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
            catch (Exception error)
            {
                StoreLog.BatchFailed(_logger, error, _storeName, batch.Count);
                foreach (var operation in batch)
                {
                    operation.Fail(error);
                }
            }
            batch.Clear();
        }
    }

    /// <summary>Stops accepting writes, commits everything already queued, then stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        await _executor.DisposeAsync().ConfigureAwait(false);
    }
}
