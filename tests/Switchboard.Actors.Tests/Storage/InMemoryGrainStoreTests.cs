using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.InMemory;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>The store contract on <see cref="InMemoryGrainStore"/>.</summary>
public sealed class InMemoryGrainStoreTests : GrainStoreContract
{
    private InMemoryGrainStore? _store;

    // One instance plays every "reopened" store: memory is all it has.
    protected override IGrainStore CreateStore() => _store ??= new InMemoryGrainStore("memory");

    [Fact]
    public void A_store_without_a_name_is_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => new InMemoryGrainStore(""));
        Assert.ThrowsAny<ArgumentException>(() => new InMemoryGrainStore(null!));
    }
}
