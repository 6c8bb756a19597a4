using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.Sqlite;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>The embedded store opened on a data folder, with its grain storage and journal, as the silo wires them.</summary>
internal sealed class SqliteStoreHarness : IAsyncDisposable
{
    private SqliteStoreHarness(SqliteStore store)
    {
        Store = store;
        Storage = new SqliteGrainStorage(store, TestSerialization.GrainStorageSerializer, TestSerialization.Activators);
        Journal = new SqliteEventJournal(store);
    }

    public SqliteStore Store { get; }

    public IGrainStorage Storage { get; }

    public IEventJournal Journal { get; }

    public static async Task<SqliteStoreHarness> OpenAsync(string dataDirectory, int maxBatchSize = 512)
    {
        var store = new SqliteStore(new SqliteStoreOptions { DataDirectory = dataDirectory, MaxBatchSize = maxBatchSize }, NullLogger<SqliteStore>.Instance);
        await store.OpenAsync(CancellationToken.None);
        return new SqliteStoreHarness(store);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
