using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.Postgres;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Actors.Hosting;

/// <summary>Adds grain stores to a silo. The store called "Default" serves grains that name none.</summary>
public static class SiloBuilderStoreExtensions
{
    /// <summary>An in-memory store (tests): same checks as the durable stores, nothing survives the process.</summary>
    public static ISiloBuilder UseInMemoryStore(this ISiloBuilder silo, string name = GrainStoreServiceCollectionExtensions.DefaultStoreName)
    {
        silo.Services.AddInMemoryGrainStore(name);
        return silo;
    }

    /// <summary>The embedded SQLite store (WAL) in the file <paramref name="dataSource"/>.</summary>
    public static ISiloBuilder UseSqliteStore(this ISiloBuilder silo, string dataSource, string name = GrainStoreServiceCollectionExtensions.DefaultStoreName) =>
        silo.UseSqliteStore(o => o.DataSource = dataSource, name);

    /// <summary>The embedded SQLite store with options.</summary>
    public static ISiloBuilder UseSqliteStore(this ISiloBuilder silo, Action<SqliteStoreOptions> configure, string name = GrainStoreServiceCollectionExtensions.DefaultStoreName)
    {
        silo.Services.AddSqliteGrainStore(name, configure);
        return silo;
    }

    /// <summary>The PostgreSQL store (the cluster's store) at <paramref name="connectionString"/>.</summary>
    public static ISiloBuilder UsePostgresStore(this ISiloBuilder silo, string connectionString, string name = GrainStoreServiceCollectionExtensions.DefaultStoreName) =>
        silo.UsePostgresStore(o => o.ConnectionString = connectionString, name);

    /// <summary>The PostgreSQL store with options.</summary>
    public static ISiloBuilder UsePostgresStore(this ISiloBuilder silo, Action<PostgresStoreOptions> configure, string name = GrainStoreServiceCollectionExtensions.DefaultStoreName)
    {
        silo.Services.AddPostgresGrainStore(name, configure);
        return silo;
    }
}
