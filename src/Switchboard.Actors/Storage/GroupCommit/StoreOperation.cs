namespace Switchboard.Actors.Storage.GroupCommit;

/// <summary>
/// One queued write (state write, state clear or journal append) waiting for its batch. The batch
/// executor records the item's outcome (<see cref="Succeed"/> or <see cref="Refuse"/>) while the
/// transaction is open; the writer's task completes only after the commit, through <see cref="Complete"/>.
/// </summary>
internal abstract class StoreOperation
{
    // Completed on the committer's thread. Continuations run there synchronously only until they reach a
    // grain's await (which posts to its activation) or other code that yields: no pool hop per write.
    private readonly TaskCompletionSource<string?> _completion = new();

    protected StoreOperation(int partition, long epoch, CancellationToken cancellationToken)
    {
        Partition = partition;
        Epoch = epoch;
        CancellationToken = cancellationToken;
    }

    public int Partition { get; }

    public long Epoch { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>What the write is aimed at, for error messages: a state row or a journal stream.</summary>
    public abstract string Target { get; }

    /// <summary>The new ETag of a state write once committed; null for clears and appends.</summary>
    public Task<string?> Completion => _completion.Task;

    public string? ResultETag { get; private set; }

    public Exception? Refusal { get; private set; }

    /// <summary>The item's checks passed and its rows are written in the open transaction.</summary>
    public void Succeed(string? etag)
    {
        ResultETag = etag;
        Refusal = null;
    }

    /// <summary>The item failed its own checks (ETag, fencing, sequence) and wrote nothing.</summary>
    public void Refuse(Exception refusal)
    {
        ResultETag = null;
        Refusal = refusal;
    }

    /// <summary>Reports the recorded outcome once the batch's transaction has committed.</summary>
    public void Complete()
    {
        if (Refusal is null)
        {
            _completion.TrySetResult(ResultETag);
        }
        else
        {
            _completion.TrySetException(Refusal);
        }
    }

    /// <summary>The whole batch failed (rolled back): nothing of this item was written.</summary>
    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public StaleEpochException StaleEpoch(long currentEpoch) => new(Target, Partition, Epoch, currentEpoch);
}
