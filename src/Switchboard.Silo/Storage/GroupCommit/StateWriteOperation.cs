namespace Switchboard.Silo.Storage.GroupCommit;

/// <summary>A queued state write or clear (a clear carries no data).</summary>
internal sealed class StateWriteOperation(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedETag, bool isClear,
    CancellationToken cancellationToken) : StoreOperation(cancellationToken)
{
    public string StateName { get; } = stateName;

    public GrainId GrainId { get; } = grainId;

    public ReadOnlyMemory<byte> Data { get; } = data;

    public string? ExpectedETag { get; } = expectedETag;

    public bool IsClear { get; } = isClear;

    public override string Target => StoreRules.DescribeState(StateName, GrainId);

    protected override Exception Unavailable(string store, string connection, string reason, Exception error) =>
        new StoreUnavailableException(store, connection, reason, error);
}
