using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.GroupCommit;

namespace Switchboard.Actors.Tests.Storage;

public sealed class GroupCommitterTests
{
    [Fact]
    public async Task When_a_batch_fails_as_a_whole_every_write_in_it_fails_with_the_error_and_later_batches_still_commit()
    {
        var executor = new FailingFirstBatchExecutor();
        var statistics = new StoreStatistics();
        await using var committer = new GroupCommitter("test", executor, maxBatchSize: 512, statistics, NullLogger.Instance);
        committer.Start();
        var key = new StateKey("profile", new GrainId("agent", "1"));

        var first = Enumerable.Range(0, 50).Select(_ => committer.EnqueueAsync(new StateWriteOperation(new StateWrite(key, new byte[] { 1 }, null, 0, 1), CancellationToken.None))).ToList();
        await executor.FirstBatchStarted.Task;
        var second = committer.EnqueueAsync(new StateWriteOperation(new StateWrite(key, new byte[] { 2 }, null, 0, 1), CancellationToken.None));
        executor.ReleaseFirstBatch.SetResult();

        foreach (var write in first.Take(executor.FirstBatchSize))
        {
            Assert.Same(executor.Error, await Assert.ThrowsAsync<IOException>(() => write));
        }
        Assert.Equal("ok", await second);
        Assert.Equal(executor.CommittedWrites, statistics.Writes);
    }

    private sealed class FailingFirstBatchExecutor : IStoreBatchExecutor
    {
        private int _batches;

        public TaskCompletionSource FirstBatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseFirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IOException Error { get; } = new("disk gone");

        public int FirstBatchSize { get; private set; }

        public long CommittedWrites { get; private set; }

        public async Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken)
        {
            foreach (var operation in batch)
            {
                operation.Succeed("ok");
            }
            if (_batches++ == 0)
            {
                FirstBatchSize = batch.Count;
                FirstBatchStarted.SetResult();
                await ReleaseFirstBatch.Task;
                throw Error;
            }
            CommittedWrites += batch.Count;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
