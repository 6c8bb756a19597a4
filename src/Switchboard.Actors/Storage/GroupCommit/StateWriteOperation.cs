namespace Switchboard.Actors.Storage.GroupCommit;

/// <summary>A queued state write or clear (a clear carries no data).</summary>
internal sealed class StateWriteOperation : StoreOperation
{
    public StateWriteOperation(StateWrite write, CancellationToken cancellationToken)
        : base(write.Partition, write.Epoch, cancellationToken)
    {
        Key = write.Key;
        Data = write.Data;
        ExpectedETag = write.ETag;
    }

    public StateWriteOperation(StateClear clear, CancellationToken cancellationToken)
        : base(clear.Partition, clear.Epoch, cancellationToken)
    {
        Key = clear.Key;
        ExpectedETag = clear.ETag;
        IsClear = true;
    }

    public StateKey Key { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public string? ExpectedETag { get; }

    public bool IsClear { get; }

    public override string Target => StoreRules.DescribeState(Key);
}
