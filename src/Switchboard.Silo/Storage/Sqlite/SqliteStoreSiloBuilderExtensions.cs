using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.AdoNet;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>Wires the embedded SQLite store into a silo.</summary>
public static class SqliteStoreSiloBuilderExtensions
{
    /// <summary>Orleans' invariant for SQLite; it loads Microsoft.Data.Sqlite.</summary>
    internal const string AdoNetInvariant = "System.Data.SQLite";

    /// <summary>
    /// Adds the embedded store: one file, <c>switchboard.db</c>, in <see cref="SqliteStoreOptions.DataDirectory"/>. Registers
    /// the default grain storage (<c>"Default"</c>: ours, or Orleans' AdoNet provider when
    /// <see cref="SqliteStoreOptions.SqliteState"/> says <c>adonet</c>), the <see cref="IEventJournal"/> singleton, and the
    /// store's opening (schema, previous-build check) in the <see cref="StoreLifecycleStage.Open"/> stage; it is flushed
    /// and closed on stop. The host binds the options from <see cref="SqliteStoreOptions.SectionName"/>.
    /// </summary>
    public static ISiloBuilder AddSwitchboardSqliteStore(this ISiloBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteStoreOptions();
        configure?.Invoke(options);
        var state = options.SqliteState?.Trim().ToLowerInvariant();
        if (state is not (SqliteStateProviders.GroupCommit or SqliteStateProviders.AdoNet))
        {
            throw new OptionsValidationException(nameof(SqliteStoreOptions), typeof(SqliteStoreOptions),
                [$"Switchboard:Store:SqliteState is '{options.SqliteState}': use '{SqliteStateProviders.GroupCommit}' (the default) or '{SqliteStateProviders.AdoNet}'."]);
        }
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(sp => new SqliteStore(options, sp.GetRequiredService<ILogger<SqliteStore>>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IEventJournal>(sp => new SqliteEventJournal(sp.GetRequiredService<SqliteStore>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new SqliteStoreLifecycle(sp.GetRequiredService<SqliteStore>()));
        if (state == SqliteStateProviders.AdoNet)
        {
            AdoNetGrainStorageRegistration.AddDefaultAdoNetGrainStorage(services, AdoNetInvariant,
                SqliteStore.ConnectionString(options.DatabasePath, options.BusyTimeout), options.GrainStorageSerializer);
        }
        else
        {
            services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => new SqliteGrainStorage(
                sp.GetRequiredService<SqliteStore>(),
                options.GrainStorageSerializer ?? new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
                sp.GetRequiredService<IActivatorProvider>()));
        }
        return builder;
    }
}
