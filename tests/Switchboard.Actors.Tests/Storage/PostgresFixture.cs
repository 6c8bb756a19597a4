using Switchboard.Testing;

namespace Switchboard.Actors.Tests.Storage;

/// <summary>
/// One private PostgreSQL server shared by the tests of the <see cref="PostgresCollection"/>; each test
/// creates its own database on it. If the server cannot start, the tests fail (they are not skipped).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    // Room for a test's 500 concurrent readers beside the writer (Npgsql pools up to 100 per store).
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync(["max_connections=300"]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
