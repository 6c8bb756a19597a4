namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>Opens the embedded store in the store stage, before grains activate; flushes and closes it on stop.</summary>
internal sealed class SqliteStoreLifecycle(SqliteStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteStore), StoreLifecycleStage.Open, store.OpenAsync, async _ => await store.DisposeAsync().ConfigureAwait(false));
}
