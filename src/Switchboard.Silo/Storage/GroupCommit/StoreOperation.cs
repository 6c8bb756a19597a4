namespace Switchboard.Silo.Storage.GroupCommit;

/// <summary>
/// One queued write (state write, state clear or journal append) waiting for its batch. The batch executor records the
/// item's outcome (<see cref="Succeed"/> or <see cref="Refuse"/>) while the transaction is open; the writer's task
/// completes only after the commit, through <see cref="Complete"/>.
/// </summary>
internal abstract class StoreOperation
{
    // Completed on the committer's thread. Continuations run there synchronously only until they reach a grain's await
    // (which posts to its activation) or other code that yields: no pool hop per write.
    private readonly TaskCompletionSource<string?> _completion = new();

    protected StoreOperation(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    /// <summary>What the write is aimed at, for messages: a state row or a journal stream.</summary>
    public abstract string Target { get; }

    /// <summary>The new ETag of a state write or clear once committed; null for appends.</summary>
    public Task<string?> Completion => _completion.Task;

    public string? ResultETag { get; private set; }

    public Exception? Refusal { get; private set; }

    /// <summary>The item's checks passed and its rows are written in the open transaction.</summary>
    public void Succeed(string? etag)
    {
        ResultETag = etag;
        Refusal = null;
    }

    /// <summary>The item failed its own checks (ETag, sequence) and wrote nothing.</summary>
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
    public void Fail(string store, string connection, int batchSize, Exception error) =>
        _completion.TrySetException(Unavailable(store, connection, $"a batch of {batchSize} writes, {Target} among them, failed and was rolled back: {error.Message}", error));

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);

    /// <summary>The exception a writer of this kind gets when its batch failed as a whole.</summary>
    protected abstract Exception Unavailable(string store, string connection, string reason, Exception error);
}
