using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Actors.Storage.InMemory;
using Switchboard.Actors.Storage.Postgres;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Actors.Storage;

/// <summary>
/// Registers grain stores. Each store is a keyed singleton <see cref="IGrainStore"/> (keyed by its name);
/// the one named <c>"Default"</c> is also registered unkeyed. <see cref="IGrainStoreRegistry"/> finds any of
/// them by name. The host initializes the stores (its store lifecycle stage) and the container disposes them.
/// </summary>
public static class GrainStoreServiceCollectionExtensions
{
    /// <summary>The store name used when none is given, as in Orleans.</summary>
    public const string DefaultStoreName = GrainStoreNames.Default;

    /// <summary>Registers an <see cref="InMemoryGrainStore"/> called <paramref name="name"/>.</summary>
    public static IServiceCollection AddInMemoryGrainStore(this IServiceCollection services, string name = DefaultStoreName)
    {
        return services.AddGrainStore(name, (_, storeName) => new InMemoryGrainStore(storeName));
    }

    /// <summary>
    /// Registers a <see cref="SqliteGrainStore"/> called <paramref name="name"/>; its options are the named
    /// options <paramref name="name"/>, so they can also be bound from configuration.
    /// </summary>
    public static IServiceCollection AddSqliteGrainStore(this IServiceCollection services, string name, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        StoreRules.ValidateName(name, nameof(name));
        services.AddOptions<SqliteStoreOptions>(name).Configure(configure);
        return services.AddGrainStore(name, (provider, storeName) => new SqliteGrainStore(
            storeName,
            provider.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(storeName),
            provider.GetService<ILogger<SqliteGrainStore>>(),
            provider.GetService<TimeProvider>()));
    }

    /// <summary>
    /// Registers a <see cref="PostgresGrainStore"/> called <paramref name="name"/>; its options are the named
    /// options <paramref name="name"/>, so they can also be bound from configuration.
    /// </summary>
    public static IServiceCollection AddPostgresGrainStore(this IServiceCollection services, string name, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        StoreRules.ValidateName(name, nameof(name));
        services.AddOptions<PostgresStoreOptions>(name).Configure(configure);
        return services.AddGrainStore(name, (provider, storeName) => new PostgresGrainStore(
            storeName,
            provider.GetRequiredService<IOptionsMonitor<PostgresStoreOptions>>().Get(storeName),
            provider.GetService<ILogger<PostgresGrainStore>>(),
            provider.GetService<TimeProvider>()));
    }

    private static IServiceCollection AddGrainStore(this IServiceCollection services, string name, Func<IServiceProvider, string, IGrainStore> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        StoreRules.ValidateName(name, nameof(name));
        var names = FindNames(services);
        if (names.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"A grain store named '{name}' is already registered; store names must be unique.");
        }
        names.Names.Add(name);
        services.AddKeyedSingleton(name, (provider, _) => create(provider, name));
        if (name == DefaultStoreName)
        {
            services.TryAddSingleton(provider => provider.GetRequiredKeyedService<IGrainStore>(DefaultStoreName));
        }
        services.TryAddSingleton<IGrainStoreRegistry, GrainStoreRegistry>();
        return services;
    }

    private static GrainStoreNames FindNames(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(GrainStoreNames) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is GrainStoreNames existing)
            {
                return existing;
            }
        }
        var names = new GrainStoreNames();
        services.AddSingleton(names);
        return names;
    }
}
