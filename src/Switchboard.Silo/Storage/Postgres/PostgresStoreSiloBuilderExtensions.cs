using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Routing.Journal;
using Switchboard.Silo.Storage.AdoNet;

namespace Switchboard.Silo.Storage.Postgres;

/// <summary>Wires the cluster's PostgreSQL store into a silo.</summary>
public static class PostgresStoreSiloBuilderExtensions
{
    /// <summary>Orleans' invariant for PostgreSQL (Npgsql).</summary>
    internal const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Adds the cluster's store on one PostgreSQL database: Orleans' AdoNet grain storage as the default provider
    /// (<c>"Default"</c>), AdoNet clustering and reminders (unless turned off), the <see cref="IEventJournal"/> singleton,
    /// and the schema scripts applied in the <see cref="StoreLifecycleStage.Open"/> stage by whichever silo comes first.
    /// A database that cannot be reached then fails start-up with <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static ISiloBuilder AddSwitchboardPostgresStore(this ISiloBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStoreOptions();
        configure(options);
        var connection = new PostgresConnection(options);
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(connection);
        services.AddSingleton(sp => new PostgresEventJournal(connection, options, sp.GetRequiredService<ILogger<PostgresEventJournal>>()));
        services.AddSingleton<IEventJournal>(sp => sp.GetRequiredService<PostgresEventJournal>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new PostgresStoreLifecycle(
            connection, sp.GetRequiredService<PostgresEventJournal>(), sp.GetRequiredService<ILogger<PostgresStoreLifecycle>>()));
        AdoNetGrainStorageRegistration.AddDefaultAdoNetGrainStorage(services, AdoNetInvariant, connection.ConnectionString, options.GrainStorageSerializer);
        if (options.UseClustering)
        {
            builder.UseAdoNetClustering(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connection.ConnectionString;
            });
        }
        if (options.UseReminders)
        {
            builder.UseAdoNetReminderService(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connection.ConnectionString;
            });
        }
        return builder;
    }
}
