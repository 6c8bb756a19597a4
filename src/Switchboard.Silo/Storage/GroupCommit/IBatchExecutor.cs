namespace Switchboard.Silo.Storage.GroupCommit;

/// <summary>
/// Commits one batch in one transaction. For each item it records the item's own outcome
/// (<see cref="StoreOperation.Succeed"/> or <see cref="StoreOperation.Refuse"/>) without completing it; it throws when
/// the transaction as a whole fails, after rolling it back.
/// </summary>
internal interface IBatchExecutor : IAsyncDisposable
{
    Task CommitAsync(IReadOnlyList<StoreOperation> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Upkeep between batches, on the commit thread, after the last batch's writers were released: the only moment
    /// nothing else writes on the executor's connection. Throws nothing.
    /// </summary>
    void AfterBatch()
    {
    }
}
