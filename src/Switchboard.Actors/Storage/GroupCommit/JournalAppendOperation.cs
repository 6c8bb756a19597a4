namespace Switchboard.Actors.Storage.GroupCommit;

/// <summary>A queued journal append.</summary>
internal sealed class JournalAppendOperation : StoreOperation
{
    public JournalAppendOperation(JournalAppend append, CancellationToken cancellationToken)
        : base(append.Partition, append.Epoch, cancellationToken)
    {
        Append = append;
    }

    public JournalAppend Append { get; }

    public override string Target => StoreRules.DescribeStream(Append.Stream);
}
