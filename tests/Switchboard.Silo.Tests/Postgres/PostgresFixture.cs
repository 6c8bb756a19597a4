using Switchboard.Testing;

namespace Switchboard.Silo.Tests.Postgres;

/// <summary>
/// One private PostgreSQL server (tests/Shared/PostgresServer.cs) shared by the tests of the <see cref="PostgresCollection"/>;
/// each test creates its own database on it. If the server cannot start, the tests fail: they are never skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    /// <summary>A fresh database and its connection string.</summary>
    public async Task<string> NewDatabaseAsync() => Server.ConnectionString(await Server.CreateDatabaseAsync());

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync(["max_connections=300"]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
