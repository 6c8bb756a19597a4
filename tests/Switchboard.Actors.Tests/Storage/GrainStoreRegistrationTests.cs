using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Storage;
using Switchboard.Actors.Storage.InMemory;
using Switchboard.Actors.Storage.Postgres;
using Switchboard.Actors.Storage.Sqlite;

namespace Switchboard.Actors.Tests.Storage;

public sealed class GrainStoreRegistrationTests
{
    [Fact]
    public async Task Stores_registered_by_name_resolve_as_keyed_services_and_through_the_registry()
    {
        var services = new ServiceCollection()
            .AddInMemoryGrainStore()
            .AddSqliteGrainStore("embedded", options => options.DataSource = "unused.db")
            .AddPostgresGrainStore("cluster", options => options.ConnectionString = "Host=127.0.0.1;Database=switchboard;Username=silo;Password=x");
        await using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<IGrainStoreRegistry>();

        Assert.Equal(["Default", "embedded", "cluster"], registry.Names);
        Assert.IsType<InMemoryGrainStore>(registry.Get("Default"));
        Assert.IsType<SqliteGrainStore>(registry.Get("embedded"));
        Assert.IsType<PostgresGrainStore>(registry.Get("cluster"));
        Assert.Same(registry.Get("embedded"), provider.GetRequiredKeyedService<IGrainStore>("embedded"));
        Assert.Same(registry.Get("Default"), provider.GetRequiredService<IGrainStore>());
        Assert.Equal("embedded", registry.Get("embedded").Name);
        Assert.Equal("127.0.0.1:5432/switchboard", ((PostgresGrainStore)registry.Get("cluster")).Target);
    }

    [Fact]
    public async Task Options_configured_at_registration_reach_the_store()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"switchboard-di-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "grains.db");
            await using (var provider = new ServiceCollection().AddSqliteGrainStore("embedded", options => options.DataSource = file).BuildServiceProvider())
            {
                var store = provider.GetRequiredService<IGrainStoreRegistry>().Get("embedded");
                await store.InitializeAsync(CancellationToken.None);
            }
            Assert.True(File.Exists(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Asking_for_an_unknown_store_names_the_ones_that_are_registered()
    {
        await using var provider = new ServiceCollection()
            .AddInMemoryGrainStore("a")
            .AddInMemoryGrainStore("b")
            .BuildServiceProvider();

        var error = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<IGrainStoreRegistry>().Get("x"));

        Assert.Contains("no grain store named 'x' is registered; known: a, b", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Null(provider.GetService<IGrainStore>());
    }

    [Fact]
    public void Two_stores_with_one_name_or_a_store_without_a_name_are_refused_at_registration()
    {
        var services = new ServiceCollection().AddInMemoryGrainStore("a");

        var duplicate = Assert.Throws<InvalidOperationException>(() => services.AddSqliteGrainStore("a", _ => { }));
        Assert.Contains("'a'", duplicate.Message);
        Assert.ThrowsAny<ArgumentException>(() => services.AddInMemoryGrainStore(""));
        Assert.ThrowsAny<ArgumentException>(() => services.AddSqliteGrainStore(null!, _ => { }));
        Assert.ThrowsAny<ArgumentException>(() => services.AddPostgresGrainStore(" ", _ => { }));
    }
}
